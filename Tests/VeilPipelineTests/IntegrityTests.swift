import Foundation
import Testing
@testable import VeilPipeline
import VeilCore
import VeilCrypto
import VeilDICOM

/// Tamper evidence (SPEC §2): a protected image whose pixels, QR or payload were altered is never
/// restored to something wrong.
@Suite struct IntegrityTests {
    let protectedFile: (original: DicomFile, protected: ProtectedInstance) = {
        let original = try! DicomFile.read(sampleTreeFiles[0])
        return (original, try! makeProtector().protect(original))
    }()

    /// The protected file with its first frame's pixels changed by `edit`.
    func tampered(_ edit: (inout [Int32], ProtectedInstance.FrameReport, Int) -> Void) throws -> DicomFile {
        let file = try DicomFile(bytes: protectedFile.protected.fileBytes, name: "protected")
        let pixels = try file.frame(0)
        var samples = pixels.samples
        edit(&samples, protectedFile.protected.report.frames[0], pixels.geometry.columns)
        return try rewritten(file, pixels: PixelFrame(geometry: pixels.geometry, samples: samples).bytes)
    }

    func rewritten(_ file: DicomFile, dataSet: DataSet? = nil, pixels: [UInt8]? = nil) throws -> DicomFile {
        let bytes = try DicomWriter.encodeFile(dataSet: dataSet ?? file.dataSet, pixelData: pixels ?? file.frame(0).bytes)
        return try DicomFile(bytes: bytes, name: "rewritten")
    }

    @Test func aChangedPixelOutsideTheQRIsCaught() throws {
        // Pixels outside the key region, in a few places: texture, background, side information.
        let r = protectedFile.protected.report.frames[0].keyRegion
        let outside = [(300, 300), (5, 5), (250, 480), (40, 300), (505, 5), (5, 505)]
            .filter { x, y in !(x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) }
        #expect(outside.count >= 4)
        for (x, y) in outside {
            let file = try tampered { samples, _, width in samples[y * width + x] ^= 1 }
            #expect(throws: ProtectionError.self, "pixel (\(x), \(y))") { try InstanceRestorer(key: testKeys.key).restore(file) }
        }
    }

    @Test func aDamagedQRIsCaught() throws {
        let file = try tampered { samples, frame, width in
            let r = frame.keyRegion
            // Wipe the middle third of the code.
            for y in (r.y + r.height / 3)..<(r.y + 2 * r.height / 3) {
                for x in r.x..<(r.x + r.width) { samples[y * width + x] = samples[r.y * width + r.x] }
            }
        }
        #expect(throws: (any Error).self) { try InstanceRestorer(key: testKeys.key).restore(file) }
    }

    @Test func theWrongKeyIsNamed() throws {
        let file = try DicomFile(bytes: protectedFile.protected.fileBytes, name: "protected")
        #expect {
            try InstanceRestorer(key: otherKey).restore(file)
        } throws: { error in
            guard case ProtectionError.wrongKey = error else { return false }
            return true
        }
    }

    @Test func pixelsAloneSufficeForThePixels() throws {
        // An archive that drops private elements and the Encrypted Attributes Sequence.
        let file = try DicomFile(bytes: protectedFile.protected.fileBytes, name: "protected")
        var stripped = file.dataSet
        for element in stripped.elements where element.tag.isPrivate || element.tag == EncryptedAttributes.sequenceTag {
            stripped.remove(element.tag)
        }
        let restored = try InstanceRestorer(key: testKeys.key).restore(try rewritten(file, dataSet: stripped))
        #expect(restored.pixelSHA256 == protectedFile.protected.report.pixelSHA256)
        #expect(!restored.byteExact)
        #expect(restored.warnings.contains { $0.contains("de-identified") })
        let header = try DicomFile(bytes: restored.fileBytes, name: "restored")
        #expect(try header.frame(0).bytes == protectedFile.original.frame(0).bytes)
    }

    @Test func withoutTheRecordAttributesStillComeBack() throws {
        // Private elements dropped, EAS kept: attributes re-identified, file rebuilt from them.
        let file = try DicomFile(bytes: protectedFile.protected.fileBytes, name: "protected")
        var noPrivate = file.dataSet
        for element in noPrivate.elements where element.tag.isPrivate { noPrivate.remove(element.tag) }
        let restored = try InstanceRestorer(key: testKeys.key).restore(try rewritten(file, dataSet: noPrivate))
        let header = try DicomFile(bytes: restored.fileBytes, name: "restored").dataSet
        for tag in [Tag.patientName, .patientID, .studyInstanceUID, .sopInstanceUID, Tag(0x0008, 0x0080)] {
            #expect(header.string(tag) == protectedFile.original.dataSet.string(tag))
        }
        #expect(header[Tag(0x0012, 0x0062)] == nil)
    }

    @Test func aTruncatedProtectedFileIsRefused() throws {
        let bytes = Array(protectedFile.protected.fileBytes.prefix(protectedFile.protected.fileBytes.count / 2))
        #expect(throws: DicomError.self) { _ = try DicomFile(bytes: bytes, name: "truncated") }
    }
}
