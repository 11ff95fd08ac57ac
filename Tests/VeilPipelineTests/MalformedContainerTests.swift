import Testing
@testable import VeilPipeline
import VeilCore

/// The format-2 containers the pipeline decodes (authenticated already, but written by a faulty or
/// hostile sender all the same) refuse every malformed form with a typed error, never a trap.
@Suite struct MalformedContainerTests {
    static let binding = InstanceBinding(pixelDescription: [1, 2, 3], protectedSOPInstanceUID: "2.25.1",
                                         encryptedAttributesSHA256: Array(repeating: 7, count: 32),
                                         recordSHA256: Array(repeating: 9, count: 32)).encoded()
    static let hidden = HiddenText(regions: [Region(x: 0, y: 0, width: 2, height: 2)], planes: 1, differencesFromFirstPlane: false,
                                   codec: 3, compressedSamples: [0xAA, 0xBB], originalChecksum: Array(repeating: 1, count: 32)).encoded()

    /// Every strict prefix, and the whole with one more byte.
    static func mangled(_ bytes: [UInt8]) -> [[UInt8]] {
        (0..<bytes.count).map { Array(bytes.prefix($0)) }.filter { !$0.isEmpty } + [bytes + [0]]
    }

    @Test func wellFormedContainersRoundTrip() throws {
        #expect(try InstanceBinding(decoding: Self.binding).encoded() == Self.binding)
        #expect(try HiddenText(decoding: Self.hidden).encoded() == Self.hidden)
        let attachment = FrameAttachment(binding: Self.binding, hiddenTextShare: Self.hidden)
        #expect(try FrameAttachment(decoding: attachment.encoded()) == attachment)
    }

    @Test func truncatedOrPaddedBindingsAreRefused() {
        for bytes in Self.mangled(Self.binding) {
            #expect(throws: ProtectionError.self, "\(bytes.count) bytes") { try InstanceBinding(decoding: bytes) }
        }
    }

    @Test func truncatedOrPaddedHiddenTextIsRefused() {
        for bytes in Self.mangled(Self.hidden) {
            #expect(throws: ProtectionError.self, "\(bytes.count) bytes") { try HiddenText(decoding: bytes) }
        }
        // A region count past the limit, and a plane count of zero.
        var tooMany = Self.hidden
        tooMany.replaceSubrange(6..<10, with: [0, 0, 0x10, 1])
        var noPlanes = Self.hidden
        noPlanes[4] = 0
        for bytes in [tooMany, noPlanes] {
            #expect(throws: ProtectionError.self) { try HiddenText(decoding: bytes) }
        }
    }

    @Test func truncatedOrPaddedAttachmentsAreRefused() {
        let attachment = FrameAttachment(binding: Self.binding, hiddenTextShare: Self.hidden).encoded()
        for bytes in Self.mangled(attachment) {
            #expect(throws: ProtectionError.self, "\(bytes.count) bytes") { try FrameAttachment(decoding: bytes) }
        }
    }

    /// Hidden text whose samples do not decompress, or whose regions leave the frame, is refused.
    @Test func hiddenTextThatDoesNotFitItsFrameIsRefused() throws {
        var planes = [Frame(width: 8, height: 8, format: SampleFormat(bitsStored: 8, isSigned: false), samples: Array(repeating: 0, count: 64))]
        let hidden = try HiddenText(decoding: Self.hidden)
        #expect(throws: ProtectionError.self) { try hidden.restore(into: &planes) }
        var outside = hidden
        outside.regions = [Region(x: 6, y: 6, width: 4, height: 4)]
        #expect(throws: ProtectionError.self) { try outside.restore(into: &planes) }
    }

    @Test func truncatedRestorationRecordsAreRefused() {
        let record = RestorationRecord(protectedFrames: 1, addedTags: [0x0012_0062], template: nil,
                                       binding: .init(encryptedAttributesSHA256: Array(repeating: 2, count: 32),
                                                      protectedSOPInstanceUID: "2.25.1", pixelSHA256: [])).encoded()
        #expect((try? RestorationRecord(decoding: record)) != nil)
        for bytes in Self.mangled(record) {
            #expect(throws: ProtectionError.self, "\(bytes.count) bytes") { try RestorationRecord(decoding: bytes) }
        }
    }
}
