import Testing
import VeilFileSystem
#if canImport(Glibc)
import Glibc
#endif
import VeilTestSupport
import VeilCompression
import VeilCrypto
import VeilDICOM
@testable import VeilStego

/// Everything reveal must refuse, and hide's refusal of a small cover: an error, and no output file.
@Suite struct RefusalTests {
    @Test func tooSmallCoverGivesTheNumbersAndWritesNothing() throws {
        let scratch = try Scratch()
        let out = scratch.file("stego.dcm")
        let error = #expect(throws: StegoError.self) {
            try Steganography.hide(secret: sample("US1_UNCR.dcm"), cover: sample("emri_small.dcm"),
                                   certificate: Recipient.main.certificatePath, order: .sequential, to: out,
                                   report: scratch.file("report"))
        }
        let compressed = try Steganography.codec.compress(readBytes(sample("US1_UNCR.dcm"))).count
        let needed = 8 * (StegoHeader.fixedByteCount + 256 + 12 + 9 + compressed + 16)
        #expect(error == .coverTooSmall(needed: needed, available: 64 * 64 * 10))
        #expect(error?.description ==
            "Larger cover/carrier image is needed: the secret needs \(needed) samples, the cover has 40960")
        #expect(!exists(out) && !exists(scratch.file("report")))
    }

    @Test func wrongKeyIsNamedAndNothingIsWritten() throws {
        let scratch = try Scratch()
        let stego = try hideEmri(in: scratch)
        let out = scratch.file("revealed.dcm")
        let error = #expect(throws: StegoError.self) {
            try Steganography.reveal(stego, key: Recipient.other.key, to: out)
        }
        guard case .wrongKey(let path, let hiddenFor, let keyFingerprint)? = error else {
            Issue.record("expected wrongKey, got \(String(describing: error))")
            return
        }
        #expect(path == stego && hiddenFor != keyFingerprint)
        #expect(try hiddenFor == PrivateKey(contentsOf: Recipient.main.keyPath).publicKey.shortFingerprint)
        #expect(!exists(out))
    }

    /// One flipped LSB in the sealed payload, in the wrapped key, or in the magic.
    @Test(arguments: [
        (bit: 8 * 60 + 8 * 256 + 5_000, expected: StegoError.altered(path: "")),  // sealed payload
        (bit: 8 * 60 + 100, expected: .altered(path: "")),                         // wrapped key
        (bit: 8 * 5 + 6, expected: .corruptHeader(path: "", detail: "")),          // order byte: 2, unknown
        (bit: 3, expected: .noPayload(path: "")),                                  // magic
    ])
    func flippedStegoBitIsRefused(bit: Int, expected: StegoError) throws {
        let scratch = try Scratch()
        var image = try CoverImage.read(hideEmri(in: scratch))
        image.plane.embed(image.plane[bit] ^ 1, at: bit)
        let altered = try scratch.write(image.encoded(), to: "altered.dcm")
        let out = scratch.file("revealed.dcm")
        let error = #expect(throws: StegoError.self) {
            try Steganography.reveal(altered, key: Recipient.main.key, to: out)
        }
        #expect(error.map { "\($0)".hasPrefix(altered) } == true)
        #expect(error.map(Self.kind) == Self.kind(expected))
        #expect(!exists(out))
    }

    @Test func unusedSampleFlipStillReveals() throws {
        let scratch = try Scratch()
        var image = try CoverImage.read(hideEmri(in: scratch))
        let last = image.sampleCount - 1
        image.plane.embed(image.plane[last] ^ 1, at: last)
        let path = try scratch.write(image.encoded(), to: "stego.dcm")
        try Steganography.reveal(path, key: Recipient.main.key, to: scratch.file("revealed.dcm"))
        #expect(try readBytes(scratch.file("revealed.dcm")) == readBytes(sample("emri_small.dcm")))
    }

    @Test(arguments: ["MR2_UNCR.dcm", "emri_small_RLE.dcm"])
    func imageWithoutPayloadIsRefused(name: String) throws {
        let scratch = try Scratch()
        let out = scratch.file("revealed.dcm")
        #expect(throws: StegoError.noPayload(path: sample(name))) {
            try Steganography.reveal(sample(name), key: Recipient.main.key, to: out)
        }
        #expect(!exists(out))
    }

    @Test func unreadableInputsAreNamed() throws {
        let scratch = try Scratch()
        #expect(throws: StegoError.file(FileSystemError(.notFound, path: scratch.file("missing.dcm"), operation: "open", systemError: ENOENT))) {
            try Steganography.hide(secret: scratch.file("missing.dcm"), cover: sample("MR2_UNCR.dcm"),
                                   certificate: Recipient.main.certificatePath, order: .sequential,
                                   to: scratch.file("out.dcm"))
        }
        let notAnImage = try scratch.write(Array("plain text".utf8), to: "cover.txt")
        let error = #expect(throws: StegoError.self) {
            try Steganography.hide(secret: sample("emri_small.dcm"), cover: notAnImage,
                                   certificate: Recipient.main.certificatePath, order: .sequential,
                                   to: scratch.file("out.dcm"))
        }
        guard case .unsupportedCover(notAnImage, _)? = error else {
            Issue.record("expected unsupportedCover, got \(String(describing: error))")
            return
        }
        #expect(!exists(scratch.file("out.dcm")))
    }

    /// The keyed order is part of the format: it must never change. Reference values from an independent
    /// Python implementation of HKDF-SHA-256, xoshiro256** and Lemire's bounded sampling.
    @Test func keyedOrderIsStable() throws {
        let placement = try Placement(.keyed, seed: Array(0..<16), start: 3, bitCount: 8, sampleCount: 1003)
        #expect((0..<8).map { placement[$0] } == [529, 484, 350, 220, 517, 66, 253, 495].map { $0 + 3 })
        let sequential = try Placement(.sequential, seed: Array(0..<16), start: 3, bitCount: 8, sampleCount: 1003)
        #expect((0..<8).map { sequential[$0] } == Array(3..<11))
    }

    private func hideEmri(in scratch: Scratch) throws -> String {
        let path = scratch.file("stego.dcm")
        try Steganography.hide(secret: sample("emri_small.dcm"), cover: sample("MR2_UNCR.dcm"),
                               certificate: Recipient.main.certificatePath, order: .sequential, to: path)
        return path
    }

    /// The error's case, without its associated values.
    private static func kind(_ error: StegoError) -> String? {
        Mirror(reflecting: error).children.first?.label
    }
}
