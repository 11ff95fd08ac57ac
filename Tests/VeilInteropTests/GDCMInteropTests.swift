import Testing
import VeilTestSupport
import VeilCrypto

/// The Encrypted Attributes Sequence must interoperate with GDCM (SPEC §4): GDCM's `gdcmanon -e`
/// output decrypts with us, and our EnvelopedData in its place re-identifies with `gdcmanon -d`.
/// pydicom builds the input and moves the EncryptedContent (0400,0520) in and out of the files.
@Suite struct GDCMInteropTests {
    static let makeDataset = """
        import sys
        from pydicom.dataset import Dataset, FileMetaDataset
        from pydicom.uid import ExplicitVRLittleEndian, generate_uid
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID = generate_uid()
        ds.SeriesInstanceUID = generate_uid()
        ds.PatientName = "Doe^Jane"
        ds.PatientID = "5628731"
        ds.Modality = "OT"
        ds.Rows = ds.Columns = 8
        ds.BitsAllocated = ds.BitsStored = 8
        ds.HighBit = 7
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.PixelRepresentation = 0
        ds.PixelData = bytes(64)
        ds.save_as(sys.argv[1], enforce_file_format=True)
        """
    static let extractContent = """
        import sys, pydicom
        item = pydicom.dcmread(sys.argv[1])[0x04000500][0]
        open(sys.argv[2], "wb").write(item[0x04000520].value)
        """
    static let replaceContent = """
        import sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        ds[0x04000500][0][0x04000520].value = open(sys.argv[2], "rb").read()
        ds.save_as(sys.argv[3])
        """
    static let printPatient = """
        import sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        print(f"{ds.get('PatientName', '')}|{ds.get('PatientID', '')}", end="")
        """

    @Test func encryptedAttributesInteroperateWithGdcmanon() throws {
        let directory = try TemporaryDirectory()
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "re-identifier")
        let keyPath = try directory.write(Array(try key.pemEncoded().utf8), to: "key.pem")
        let certificatePath = try directory.write(Array(certificate.pemEncoded.utf8), to: "cert.pem")
        let original = directory.file("original.dcm"), anonymized = directory.file("gdcm.dcm")
        try runChecked("python3", ["-c", Self.makeDataset, original])
        try runChecked("gdcmanon", ["-e", "-c", certificatePath, original, anonymized])
        #expect(try patient(anonymized) != "Doe^Jane|5628731")

        // GDCM → us.
        try runChecked("python3", ["-c", Self.extractContent, anonymized, directory.file("gdcm.der")])
        let attributes = try CMSEnvelope.decrypt(try readBytes(directory.file("gdcm.der")), with: key)
        #expect(attributes.containsSequence(Array("Doe^Jane".utf8)))
        #expect(attributes.containsSequence(Array("5628731".utf8)))

        // Us → GDCM.
        let ours = try directory.write(try CMSEnvelope.encrypt(attributes, to: certificate), to: "ours.der")
        let withOurs = directory.file("ours.dcm"), restored = directory.file("restored.dcm")
        try runChecked("python3", ["-c", Self.replaceContent, anonymized, ours, withOurs])
        try runChecked("gdcmanon", ["-d", "-k", keyPath, withOurs, restored])
        #expect(try patient(restored) == "Doe^Jane|5628731")
    }

    private func patient(_ path: String) throws -> String {
        String(decoding: try runChecked("python3", ["-c", Self.printPatient, path]), as: UTF8.self)
    }
}

private extension Array where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
