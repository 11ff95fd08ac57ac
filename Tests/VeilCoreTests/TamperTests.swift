import Testing
import VeilCompression
@testable import VeilCore

@Suite struct TamperTests {
    static let original = FrameCase(width: 512, height: 512, bits: 12, signed: true, content: .ct, seed: 21).frame

    static func protect(_ frame: Frame = original, scramble: ScrambleKind = .arnold) throws -> ProtectedFrame {
        var configuration = EngineConfiguration()
        configuration.scramble = scramble
        let region = try Engine.keyRegion(for: frame, configuration: configuration)
        return try Engine.protect(frame, keyRegion: region, configuration: configuration, crypto: TestCrypto(key: 42),
                                  codec: ZstdCodec(level: 3), associatedData: [7])
    }

    static func restore(_ marked: Frame, _ parameters: EmbeddingParameters, key: UInt64 = 42, associatedData: [UInt8] = [7]) throws(EngineError) -> Restoration {
        try Engine.restore(marked, parameters: parameters, crypto: TestCrypto(key: key), codecs: [ZstdCodec()], associatedData: associatedData)
    }

    /// Every pixel outside the key region matters: changing any one of a sample of them is refused.
    static let shared = try! protect()

    @Test(arguments: Array(stride(from: 0, to: 512 * 512, by: 1327)))
    func anyAlteredPixelOutsideTheKeyRegionIsRefused(_ index: Int) throws {
        let protected = Self.shared
        let region = protected.parameters.keyRegion
        let (x, y) = (index % 512, index / 512)
        guard !(region.x..<region.maxX).contains(x) || !(region.y..<region.maxY).contains(y) else { return }
        var marked = protected.frame
        marked.samples[index] = marked.samples[index] == marked.format.maxValue ? marked.samples[index] - 1 : marked.samples[index] + 1
        #expect(throws: EngineError.self) { try Self.restore(marked, protected.parameters) }
    }

    /// Protect's own check: with the original given, the result and the payload's checksum are
    /// compared with it, and a mismatch in either is refused.
    @Test func theVerificationRestoreComparesWithTheOriginal() throws {
        let protected = Self.shared
        let crypto = TestCrypto(key: 42)
        func restore(_ expected: ExpectedRestoration) throws(EngineError) -> Restoration {
            try Engine.restore(protected.frame, parameters: protected.parameters, crypto: crypto, codecs: [ZstdCodec()],
                               associatedData: [7], expected: expected)
        }
        #expect(try restore(ExpectedRestoration(frame: Self.original, checksum: protected.checksum)).frame == Self.original)
        var other = Self.original
        other.samples[1000] = other.samples[1000] == other.format.maxValue ? other.samples[1000] - 1 : other.samples[1000] + 1
        #expect(throws: EngineError.checksumMismatch) { try restore(ExpectedRestoration(frame: other, checksum: protected.checksum)) }
        #expect(throws: EngineError.checksumMismatch) {
            try restore(ExpectedRestoration(frame: Self.original, checksum: protected.checksum.map { $0 ^ 1 }))
        }
        #expect(protected.checksum == crypto.sha256(Payload.checksumInput(Self.original.samples)))
    }

    @Test func theKeyRegionContentIsIgnored() throws {
        let protected = Self.shared
        var marked = protected.frame
        drawPseudoQR(into: &marked, region: protected.parameters.keyRegion, seed: 5)
        #expect(try Self.restore(marked, protected.parameters).frame == Self.original)
    }

    @Test(arguments: ScrambleKind.allCases)
    func aWrongKeyIsRefused(_ scramble: ScrambleKind) throws {
        let protected = try Self.protect(scramble: scramble)
        #expect(throws: EngineError.self) { try Self.restore(protected.frame, protected.parameters, key: 43) }
    }

    @Test func otherAssociatedDataIsRefused() throws {
        let protected = Self.shared
        #expect(throws: EngineError.payloadAuthenticationFailed) { try Self.restore(protected.frame, protected.parameters, associatedData: [8]) }
    }

    @Test func alteredParametersAreRefused() throws {
        let protected = Self.shared
        let original = protected.parameters
        var variants = [EmbeddingParameters]()
        for change in 0..<7 {
            var p = original
            switch change {
            case 0: p.threshold += 1
            case 1: p.range = ExpansionRange(p: p.range.p - 1, q: p.range.q)
            case 2: p.passes += 1
            case 3: p.keyRegion.x += 8
            case 4: p.scramble = p.scramble == .arnold ? .permutation : .arnold
            case 5: p.codecIdentifier = 1
            default: p.keyRegion.width -= 1
            }
            variants.append(p)
        }
        for parameters in variants {
            #expect(throws: EngineError.self) { try Engine.restore(protected.frame, parameters: parameters, crypto: TestCrypto(key: 42),
                                                                   codecs: [ZstdCodec(), ZlibCodec()], associatedData: [7]) }
        }
    }

    @Test func aMissingCodecIsNamed() throws {
        let protected = Self.shared
        #expect(throws: EngineError.unknownCodec(3)) {
            try Engine.restore(protected.frame, parameters: protected.parameters, crypto: TestCrypto(key: 42), codecs: [ZlibCodec()], associatedData: [7])
        }
    }

    @Test func anUnmarkedFrameIsRefused() throws {
        let protected = Self.shared
        #expect(throws: EngineError.self) { try Self.restore(Self.original, protected.parameters) }
    }

    @Test func outOfRangeSamplesAreRefused() throws {
        let protected = Self.shared
        var marked = protected.frame
        marked.samples[0] = 2048
        #expect(throws: EngineError.samplesOutOfRange) { try Self.restore(marked, protected.parameters) }
    }
}
