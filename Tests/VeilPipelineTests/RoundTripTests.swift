import Foundation
import Testing
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

@Suite struct InstanceRoundTripTests {
    @Test(arguments: ["MR2_UNCR.dcm", "eCT_Supplemental.dcm"])
    func protectedSampleRestoresByteIdentically(name: String) throws {
        let original = try DicomFile.read(sample(name))
        let protected = try makeProtector().protect(original)
        #expect(protected.report.headerOnlyReason == nil)
        #expect(protected.report.frames.count == original.geometry?.frames)
        #expect(protected.fileBytes.count > 0)

        let reread = try DicomFile(bytes: protected.fileBytes, name: "protected-" + name)
        let restored = try InstanceRestorer(key: testKeys.key).restore(reread)
        #expect(restored.byteExact)
        #expect(restored.fileBytes == original.originalBytes())
        #expect(restored.pixelSHA256 == protected.report.pixelSHA256)
    }
}

@Suite struct SyntheticCTTests {
    @Test func syntheticSliceRestoresByteIdentically() throws {
        let original = try DicomFile.read(sampleTreeFiles[0])
        let protected = try makeProtector().protect(original)
        #expect(protected.report.headerOnlyReason == nil)
        let frame = try #require(protected.report.frames.first)
        print("synthetic CT: key region \(frame.keyRegion), T \(frame.parameters.threshold), range \(frame.parameters.range), passes \(frame.parameters.passes), payload \(frame.payloadBytes) B, capacity \(frame.capacityBits) bits, QR v\(frame.qrVersion)")
        let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile(bytes: protected.fileBytes, name: "p"))
        #expect(restored.byteExact)
        #expect(restored.fileBytes == original.originalBytes())
    }
}
