import Testing
@testable import VeilCore

/// Known answers for the pieces of the protected-file format that live in the engine. Protected
/// images outlive releases: a change here, however well meant, makes them unrestorable. (The
/// committed fixtures under Tests/Fixtures restore the whole format; these say which piece moved.)
@Suite struct FormatKnownAnswerTests {
    @Test func permutationMixer() {
        var mixer = PermutationMixer(seed: 0)
        #expect((0..<3).map { _ in mixer.next() } == [0xC8D2_9266_BF2B_CD12, 0x9833_7EF1_1685_E61C, 0x710D_A69E_A8A7_0BCE])
        mixer = PermutationMixer(seed: 0x0123_4567_89AB_CDEF)
        #expect((0..<3).map { _ in mixer.next() } == [0x35A8_9FD1_8B3A_0C32, 0xB9D2_0188_4671_2320, 0xF8BA_B37B_6C66_0C34])
    }

    @Test func theShufflesRemainderIsExact() {
        var generator = PermutationMixer(seed: 7)
        let xs = (0..<20_000).map { _ in generator.next() } + [0, 1, 63, 64, .max, .max - 1, 1 << 63, (1 << 63) - 1]
        let wrong = xs.flatMap { x in (1...64).filter { Remainder.of(x, by: $0) != x % UInt64($0) }.map { (x, $0) } }
        #expect(wrong.isEmpty, "x % m differs for \(wrong.prefix(5))")
    }

    @Test func keyedBlockPermutation() {
        #expect(Scrambler.keyedShuffle(seed: 42) == [
            28, 57, 26, 24, 52, 8, 1, 36, 40, 15, 50, 25, 38, 41, 51, 47, 31, 33, 63, 3, 11, 27, 61, 2, 48, 13, 4, 60, 14, 0, 54, 7,
            20, 34, 29, 62, 35, 42, 53, 45, 22, 19, 10, 5, 21, 46, 39, 49, 56, 9, 16, 30, 17, 58, 37, 18, 6, 59, 43, 44, 12, 55, 32, 23,
        ])
    }

    /// The table of many blocks, shuffled four at a time, holds each block's own keyed shuffle
    /// (block counts around the lockstep's multiple of four).
    @Test(arguments: [1, 3, 4, 5, 8, 13])
    func blockTableMatchesOneShufflePerBlock(blocks: Int) {
        var generator = PermutationMixer(seed: UInt64(blocks))
        let seeds = (0..<blocks).map { _ in generator.next() }
        let bytes = seeds.flatMap { seed in (0..<8).map { UInt8(truncatingIfNeeded: seed >> (56 - 8 * $0)) } }
        var table = [UInt8](repeating: 0, count: blocks * 64)
        bytes.withUnsafeBufferPointer { bytes in
            table.withUnsafeMutableBufferPointer { Scrambler.keyedShuffles(seeds: bytes, blocks: Array(0..<blocks), into: $0) }
        }
        #expect(table.map(Int.init) == seeds.flatMap { Scrambler.keyedShuffle(seed: $0) })
    }

    @Test func parametersEncoding() throws {
        let parameters = EmbeddingParameters(keyRegion: Region(x: 168, y: 200, width: 160, height: 160), threshold: 25,
                                             range: ExpansionRange(p: -2, q: 2), passes: 2, scramble: .permutation, codecIdentifier: 3)
        let encoded: [UInt8] = [1, 0, 168, 0, 200, 0, 160, 0, 160, 8, 25, 255, 254, 0, 2, 2, 2, 3]
        #expect(parameters.encoded() == encoded)
        #expect(try EmbeddingParameters(decoding: encoded) == parameters)
    }

    /// Format 1's payload (no attachment) is still read.
    @Test func payloadContainerVersion1() throws {
        let encoded: [UInt8] = [1, 3, 0, 0, 0, 3, 1, 2, 3, 0xAA, 0x55, 0, 0, 0, 0, 0, 0xFF] + Array(0..<32)
        let payload = try Payload(decoding: encoded, sideBlockCount: 1)
        #expect(payload.version == 1 && payload.packing == .medPlanar && payload.compressedKeyRegion == [1, 2, 3])
        #expect(payload.attachment.isEmpty && payload.sideLeastSignificantBits == [0xAA, 0x55, 0, 0, 0, 0, 0, 0xFF])
        #expect(payload.checksum == Array(0..<32))
    }

    @Test func payloadContainerVersion2() throws {
        let payload = Payload(packing: .medPlanar, compressedKeyRegion: [1, 2, 3], attachment: [9, 8],
                              sideLeastSignificantBits: [0xAA, 0x55, 0, 0, 0, 0, 0, 0xFF], checksum: Array(0..<32))
        let encoded: [UInt8] = [2, 3, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 2, 9, 8, 0xAA, 0x55, 0, 0, 0, 0, 0, 0xFF] + Array(0..<32)
        #expect(payload.encoded() == encoded)
        #expect(try Payload(decoding: encoded, sideBlockCount: 1) == payload)
        // A length that claims more than there is, or a size that does not add up, is corrupt.
        for bad in [Array(encoded.dropLast()), encoded + [0], [2, 3, 0, 0, 0, 3, 1, 2, 3, 0xFF, 0xFF, 0xFF, 0xFF]] {
            #expect(throws: EngineError.self) { try Payload(decoding: bad, sideBlockCount: 1) }
        }
    }
}
