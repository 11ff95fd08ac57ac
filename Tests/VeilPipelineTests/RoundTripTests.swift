import Foundation
import Testing
import VeilTestSupport
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

@Suite struct InstanceRoundTripTests {
    @Test(arguments: ["MR2_UNCR.dcm", "eCT_Supplemental.dcm", "RG3_UNCR.dcm"])
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
        // Both may come from the engine's checksum: compare with a digest of the original's pixels.
        let frames = original.geometry?.frames ?? 0
        #expect(restored.pixelSHA256 == SHA256.hash(try (0..<frames).flatMap { try original.frame($0).bytes }).hexString)
        try expectPydicomAgrees(original: sample(name), protected: protected.fileBytes, restored: restored.fileBytes)
    }
}

/// pydicom, an independent reader, on the three files: the restored one equals the original in
/// every element and every pixel; the protected one differs in its pixels and names nobody.
func expectPydicomAgrees(original: String, protected: [UInt8], restored: [UInt8]) throws {
    try withTemporaryDirectory { directory in
        try write(protected, to: directory + "/protected.dcm")
        try write(restored, to: directory + "/restored.dcm")
        let script = """
        import sys, pydicom, numpy
        o, p, r = (pydicom.dcmread(f) for f in sys.argv[1:4])
        print("pixels-restored", numpy.array_equal(o.pixel_array, r.pixel_array))
        print("elements-restored", [e.tag for e in o if e.tag != 0x7FE00010 and (e.tag not in r or r[e.tag] != e)] == [])
        print("pixels-protected-differ", not numpy.array_equal(o.pixel_array, p.pixel_array))
        print("name-removed", str(p.get("PatientName", "")) == "")
        """
        let result = try run("python3", ["-c", script, original, directory + "/protected.dcm", directory + "/restored.dcm"])
        #expect(result.status == 0)
        for check in ["pixels-restored", "elements-restored", "pixels-protected-differ", "name-removed"] {
            #expect(result.output.contains("\(check) True"), "pydicom: \(check) on \(original)")
        }
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
