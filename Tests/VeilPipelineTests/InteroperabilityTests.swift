import Foundation
import Testing
import VeilTestSupport
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

/// Independent clients: GDCM re-identifies our output and we re-identify GDCM's; DCMTK renders a
/// protected image whose QR code zbar scans; pydicom reads what we restore.
@Suite struct InteroperabilityTests {
    /// The test key pair as PEM files in `directory`.
    func keyFiles(in directory: String) throws -> (key: String, certificate: String) {
        let key = directory + "/key.pem", certificate = directory + "/cert.pem"
        try testKeys.key.pemEncoded().write(toFile: key, atomically: true, encoding: .utf8)
        try testKeys.certificate.pemEncoded.write(toFile: certificate, atomically: true, encoding: .utf8)
        return (key, certificate)
    }

    @Test(.enabled(if: toolExists("gdcmanon")))
    func gdcmanonReidentifiesOurOutput() throws {
        try withTemporaryDirectory { directory in
            let keys = try keyFiles(in: directory)
            let original = try DicomFile.read(sampleTreeFiles[0])
            try write(makeProtector().protect(original).fileBytes, to: directory + "/protected.dcm")
            let result = try run("gdcmanon", ["-d", "-k", keys.key, directory + "/protected.dcm", directory + "/gdcm.dcm"])
            #expect(result.status == 0)
            let reidentified = try DicomFile.read(directory + "/gdcm.dcm").dataSet
            for tag in [Tag.patientName, .patientID, .studyInstanceUID, .sopInstanceUID, Tag(0x0010, 0x0030)] {
                #expect(reidentified.string(tag) == original.dataSet.string(tag), "\(tag)")
            }
        }
    }

    @Test(.enabled(if: toolExists("gdcmanon")), arguments: ["MR2_UNCR.dcm", "US1_UNCR.dcm"])
    func weReidentifyGdcmanonOutput(name: String) throws {
        try withTemporaryDirectory { directory in
            let keys = try keyFiles(in: directory)
            let result = try run("gdcmanon", ["-e", "-c", keys.certificate, sample(name), directory + "/anon.dcm"])
            #expect(result.status == 0)
            let anonymized = try DicomFile.read(directory + "/anon.dcm")
            #expect(anonymized.dataSet.string(.patientName) ?? "" == "")
            let restored = try InstanceRestorer(key: testKeys.key).restore(anonymized)
            #expect(!restored.pixelsRestored)
            let header = try DicomFile(bytes: restored.fileBytes, name: "restored").dataSet
            let original = try DicomFile.read(sample(name)).dataSet
            for tag in [Tag.patientName, .patientID, .studyInstanceUID, .sopInstanceUID] {
                #expect(header.string(tag) == original.string(tag), "\(tag)")
            }
            #expect(header[EncryptedAttributes.sequenceTag] == nil)
        }
    }

    @Test(.enabled(if: toolExists("dcmj2pnm") && toolExists("zbarimg")))
    func dcmtkRenderingScansWithZbar() throws {
        try withTemporaryDirectory { directory in
            let original = try DicomFile.read(sampleTreeFiles[0])
            var paper = ProtectionConfiguration()
            paper.qr.preset = "paper"  // the source paper's fields, identifying by choice
            try write(makeProtector(paper).protect(original).fileBytes, to: directory + "/protected.dcm")
            // Rendered as a viewer would: the image's first window.
            #expect(try run("dcmj2pnm", ["--write-png", "+Wi", "1", directory + "/protected.dcm", directory + "/protected.png"]).status == 0)
            let scan = try run("zbarimg", ["--raw", "-q", directory + "/protected.png"])
            #expect(scan.status == 0)
            #expect(scan.output.contains(BasicInformation.title))
            #expect(scan.output.contains("Patient No: \(original.dataSet.string(.patientID)!)"))
            #expect(scan.output.contains("Contact: 5628****"))
            #expect(scan.output.contains("\nDV1/"))
        }
    }

    @Test(arguments: [("emri_small.dcm", true), ("emri_small_RLE.dcm", true), ("emri_small_jpeg_ls_lossless.dcm", true)])
    func headerOnlyInstancesRestore(name: String, byteExact: Bool) throws {
        let original = try DicomFile.read(sample(name))
        let protected = try makeProtector().protect(original)
        let reason = try #require(protected.report.headerOnlyReason)
        #expect(reason.contains("too small"))
        let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile(bytes: protected.fileBytes, name: "p"))
        #expect(restored.byteExact == byteExact)
        if byteExact { #expect(restored.fileBytes == original.originalBytes()) }
        let reread = try DicomFile(bytes: restored.fileBytes, name: "restored")
        #expect(reread.dataSet.string(.patientName) == original.dataSet.string(.patientName))
        for index in 0..<(original.geometry?.frames ?? 0) {
            #expect(try reread.frame(index).bytes == original.frame(index).bytes)
        }
    }
    // dciodvfy on every sample: ProfileResolutionTests.dciodvfyFindsNoNewErrors.
}
