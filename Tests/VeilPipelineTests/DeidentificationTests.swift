import Foundation
import Testing
import VeilTestSupport
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

@Suite struct DeidentificationTests {
    /// Every string value the profile does not keep, at any nesting level (the fake PHI of the sample
    /// tree). Short numbers ("00000") are left out: they occur in kept values by chance.
    func identifyingValues(in dataSet: DataSet, deidentifier: Deidentifier) -> Set<String> {
        var values = Set<String>()
        dataSet.walk { _, element in
            guard case .bytes = element.value, let text = element.string?.trimmingCharacters(in: .whitespaces),
                  text.count >= 8 || (text.count >= 4 && text.contains(where: \.isLetter)) else { return }
            let action = element.tag.isPrivate ? .remove : deidentifier.action(for: element.tag)
            if let action, action != .keep { values.insert(text) }
        }
        return values
    }

    @Test func noIdentifyingValueStaysInTheProtectedFile() throws {
        let protector = makeProtector()
        for path in sampleTreeFiles + [sample("MR2_UNCR.dcm"), sample("eCT_Supplemental.dcm"), sample("US1_UNCR.dcm")] {
            let original = try DicomFile.read(path)
            guard let protected = try? protector.protect(original) else { continue }  // fit issues are tested elsewhere
            // The clear-text header: everything but the encrypted originals and the pixels.
            var header = try DicomFile(bytes: protected.fileBytes, name: "protected").dataSet
            header.remove(EncryptedAttributes.sequenceTag)
            for tag in PrivateRecord.tags(in: header) { header.remove(tag) }
            let bytes = try AttributeCodec.encode(header)
            let values = identifyingValues(in: original.dataSet, deidentifier: protector.deidentifier)
            #expect(!values.isEmpty)
            let leaked = values.filter { bytes.contains(subsequence: Array($0.utf8)) }
            #expect(leaked.isEmpty, "still in the protected header of \(path): \(leaked.sorted())")
        }
    }

    @Test func deidentificationIsDeclared() throws {
        let protected = try makeProtector().protect(try DicomFile.read(sampleTreeFiles[0]))
        let header = try DicomFile(bytes: protected.fileBytes, name: "protected").dataSet
        #expect(header.string(Tag(0x0012, 0x0062)) == "YES")
        #expect(header.string(Tag(0x0012, 0x0063))?.contains("PS3.15") == true)
        let codes = header[Tag(0x0012, 0x0064)]?.items?.compactMap { $0.string(Tag(0x0008, 0x0100)) } ?? []
        #expect(codes.contains("113100"))
        // CT is not examined for burned-in text by default: no Clean Pixel Data claim, and Burned In
        // Annotation stays as the original declared it (the sample does not).
        #expect(!codes.contains("113101"), "pixels not examined: Clean Pixel Data must not be claimed")
        #expect(header.string(Tag(0x0028, 0x0301)) == nil)
        #expect(header[Tag(0x0012, 0x0063)]?.strings.contains(InstanceProtector.protectedPixelsMethod) == true)

        // Examined (text hidden) with QR lines from the de-identified header: clean, and declared so.
        var examined = ProtectionConfiguration()
        examined.textRegions.detect = "always"
        let clean = try DicomFile(bytes: makeProtector(examined).protect(try DicomFile.read(sampleTreeFiles[0])).fileBytes, name: "clean").dataSet
        #expect(clean.string(Tag(0x0012, 0x0062)) == "YES")
        #expect(clean.string(Tag(0x0028, 0x0301)) == "NO")
        #expect(clean[Tag(0x0012, 0x0064)]?.items?.compactMap { $0.string(Tag(0x0008, 0x0100)) }.contains("113101") == true)

        // The paper's QR fields identify: the marks say so.
        var paper = ProtectionConfiguration()
        paper.qr.preset = "paper"
        let identifying = try DicomFile(bytes: makeProtector(paper).protect(try DicomFile.read(sampleTreeFiles[0])).fileBytes, name: "paper").dataSet
        #expect(identifying.string(Tag(0x0012, 0x0062)) == "NO")
        #expect(identifying.string(Tag(0x0028, 0x0301)) == "YES")
        #expect(header[EncryptedAttributes.sequenceTag] != nil)
        #expect(header.elements.allSatisfy { !$0.tag.isPrivate || $0.tag.group == PrivateRecord.group })
        // The nested request sequence lost its identifiers.
        if let items = header[Tag(0x0040, 0x0275)]?.items {
            for item in items { #expect(item.string(Tag(0x0032, 0x1032)) ?? "" == "") }
        }
    }

    @Test func uidsAreReplacedConsistently() throws {
        let first = try DicomFile.read(sampleTreeFiles[0]), second = try DicomFile.read(sampleTreeFiles[1])
        let protector = makeProtector()
        let a = try DicomFile(bytes: protector.protect(first).fileBytes, name: "a").dataSet
        let b = try DicomFile(bytes: protector.protect(second).fileBytes, name: "b").dataSet
        let again = try DicomFile(bytes: makeProtector().protect(first).fileBytes, name: "again").dataSet
        for tag in [Tag.studyInstanceUID, .seriesInstanceUID, .frameOfReferenceUID] {
            #expect(a.string(tag) == b.string(tag))
            #expect(a.string(tag) != first.dataSet.string(tag))
            #expect(a.string(tag)?.hasPrefix("2.25.") == true)
        }
        #expect(a.string(.sopInstanceUID) != b.string(.sopInstanceUID))
        #expect(a.string(.sopInstanceUID) == again.string(.sopInstanceUID), "the same secret maps the same way in every run")
        let otherSecret = InstanceProtector(recipient: testKeys.certificate, configuration: .init(), siteSecret: [1, 2, 3])
        let c = try DicomFile(bytes: otherSecret.protect(first).fileBytes, name: "c").dataSet
        #expect(c.string(.sopInstanceUID) != a.string(.sopInstanceUID))
    }

    @Test func retainOptionsKeepWhatTheyName() throws {
        var configuration = ProtectionConfiguration()
        configuration.deidentification.options = ["retainLongitudinalFullDates", "retainInstitutionIdentity"]
        let original = try DicomFile.read(sampleTreeFiles[0])
        let header = try DicomFile(bytes: makeProtector(configuration).protect(original).fileBytes, name: "p").dataSet
        #expect(header.string(Tag(0x0008, 0x0020)) == original.dataSet.string(Tag(0x0008, 0x0020)))
        #expect(header.string(Tag(0x0008, 0x0080)) == original.dataSet.string(Tag(0x0008, 0x0080)))
        #expect(header.string(.patientName) ?? "" == "")
        let codes = header[Tag(0x0012, 0x0064)]?.items?.compactMap { $0.string(Tag(0x0008, 0x0100)) } ?? []
        #expect(codes.contains("113106") && codes.contains("113112"))
    }

    @Test func pydicomReadsTheProtectedHeader() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/protected.dcm"
            try write(makeProtector().protect(try DicomFile.read(sampleTreeFiles[0])).fileBytes, to: path)
            let script = """
            import pydicom, sys
            d = pydicom.dcmread(sys.argv[1])
            print(repr(str(d.PatientName)), d.PatientIdentityRemoved, d.pixel_array.shape, len(d.EncryptedAttributesSequence))
            """
            let result = try run("python3", ["-c", script, path])
            #expect(result.status == 0)
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "'' YES (512, 512) 1")
        }
    }

    @Test func theTableIsGeneratedFromTheStandard() throws {
        #expect(PS315Table.entries.count == 611)
        let generated = try String(contentsOfFile: packageRoot + "/Sources/Pipeline/Deidentification/PS315Table.swift", encoding: .utf8)
        try withTemporaryDirectory { directory in
            // Regenerating from the CSV gives the committed file.
            let copy = directory + "/repo"
            try FileManager.default.createDirectory(atPath: copy + "/Sources/Pipeline/Deidentification", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: copy + "/scripts", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: packageRoot + "/scripts/generate-deid-profile", toPath: copy + "/scripts/generate-deid-profile")
            let csv = packageRoot + "/standards/ps3.15-2023b-table-E.1-1.csv"
            #expect(try run("python3", [copy + "/scripts/generate-deid-profile", csv]).status == 0)
            let regenerated = try String(contentsOfFile: copy + "/Sources/Pipeline/Deidentification/PS315Table.swift", encoding: .utf8)
            #expect(regenerated == generated)
        }
    }
}

extension [UInt8] {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var i = 0
        while i <= count - needle.count {
            if self[i] == first && self[i..<i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
