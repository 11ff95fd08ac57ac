import Foundation
import Testing
import VeilTestSupport
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

/// Conditional actions resolved by Type in the IOD, the modified-dates option's keyed shift, the
/// configuration's per-attribute overrides, and the outputs checked as an auditor would.
@Suite struct ProfileResolutionTests {
    static let ctImage = "1.2.840.10008.5.1.4.1.1.2", enhancedCT = "1.2.840.10008.5.1.4.1.1.2.1", rtPlan = "1.2.840.10008.5.1.4.1.1.481.5"

    func deidentifier(_ options: Set<DeidentificationOption> = [], overrides: [String: AttributeOverride] = [:]) throws -> Deidentifier {
        Deidentifier(options: options, keptPrivateCreators: [],
                     uids: UIDMapper { HMACSHA256.authenticate($0, key: Array("test site secret".utf8)) },
                     overrides: try Overrides(overrides))
    }

    func dataSet(sopClass: String, _ elements: [DataElement]) -> DataSet {
        DataSet([DataElement(tag: .sopClassUID, vr: .UI, string: sopClass)] + elements)
    }

    // MARK: Resolution by Type

    @Test func conditionalActionsFollowTheTypeInTheIOD() throws {
        let contentDate = DataElement(tag: Tag(0x0008, 0x0023), vr: .DA, string: "20240102")  // Z/D
        let serial = DataElement(tag: Tag(0x0018, 0x1000), vr: .LO, string: "SN-1")             // X/Z/D
        let referencedStudy = DataElement(tag: Tag(0x0008, 0x1110), items: [DataSet([              // X/Z, Type 3
            DataElement(tag: Tag(0x0008, 0x1155), vr: .UI, string: "1.2.3.4")])])
        let planDate = DataElement(tag: Tag(0x300A, 0x0006), vr: .DA, string: "20240102")       // X/D, Type 2 in RT Plan
        let d = try deidentifier()

        // Enhanced CT: Content Date and Device Serial Number are Type 1 → dummies.
        let enhanced = d.apply(to: dataSet(sopClass: Self.enhancedCT, [contentDate, serial, referencedStudy]))
        #expect(enhanced.string(Tag(0x0008, 0x0023)) == "19000101")
        #expect(enhanced.string(Tag(0x0018, 0x1000)) == "ANONYMIZED")
        #expect(enhanced[Tag(0x0008, 0x1110)] == nil, "Type 3 with X/Z: removed, not an empty sequence")
        // CT Image: Content Date is Type 2C → empty; the serial number is Type 2 there (General Equipment... 3) → per table.
        let ct = d.apply(to: dataSet(sopClass: Self.ctImage, [contentDate, serial]))
        #expect(ct[Tag(0x0008, 0x0023)]?.bytes == [])
        #expect(ct[Tag(0x0018, 0x1000)] == nil, "Device Serial Number is Type 3 in General Equipment")
        // RT Plan: RT Plan Date is Type 2 and X/D offers no Z → a dummy, not removal.
        let plan = d.apply(to: dataSet(sopClass: Self.rtPlan, [planDate]))
        #expect(plan.string(Tag(0x300A, 0x0006)) == "19000101")
        // Unknown SOP Class: the choice valid for every Type (empty when Z is allowed, X/D removed).
        let unknown = d.apply(to: dataSet(sopClass: "1.2.3.999", [contentDate, serial, planDate]))
        #expect(unknown[Tag(0x0008, 0x0023)]?.bytes == [])
        #expect(unknown[Tag(0x0018, 0x1000)]?.bytes == [])
        #expect(unknown[Tag(0x300A, 0x0006)] == nil)
    }

    @Test func typesAreLookedUpAtTheirPlaceInFunctionalGroups() throws {
        let iod = try #require(IODAttributeTypes.forSOPClass(Self.enhancedCT))
        #expect(iod.iod == "enhanced-ct-image")
        #expect(iod.burnedInAnnotationMustBeNo)
        #expect(iod.type(at: [Tag(0x0008, 0x0023).code]) == .required)
        // Referenced Image Sequence inside the shared functional groups' Derivation Image Sequence…
        #expect(iod.types.keys.contains { $0.count >= 2 && $0.first == Tag(0x5200, 0x9229).code })
        #expect(IODAttributeTypes.forSOPClass(Self.ctImage)?.burnedInAnnotationMustBeNo == false)
        #expect(IODAttributeTypes.forSOPClass("1.2.3.999") == nil)
    }

    @Test func theIODTableIsGeneratedFromTheCommittedData() throws {
        let generated = try String(contentsOfFile: packageRoot + "/Sources/Pipeline/Deidentification/IODTable.swift", encoding: .utf8)
        try withTemporaryDirectory { directory in
            let copy = directory + "/repo"
            try FileManager.default.createDirectory(atPath: copy + "/Sources/Pipeline/Deidentification", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: copy + "/scripts", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: packageRoot + "/scripts/generate-iod-table", toPath: copy + "/scripts/generate-iod-table")
            let data = packageRoot + "/standards/highdicom/iod-attribute-types.json"
            #expect(try run("python3", [copy + "/scripts/generate-iod-table", data]).status == 0)
            let regenerated = try String(contentsOfFile: copy + "/Sources/Pipeline/Deidentification/IODTable.swift", encoding: .utf8)
            #expect(regenerated == generated)
        }
    }

    // MARK: Modified dates

    /// A copy of a sample-tree slice as another study of the same patient on `date`, with a nested date.
    func study(on date: String, from path: String, studyUID: String) throws -> DicomFile {
        let original = try DicomFile.read(path)
        var header = original.dataSet
        for tag in [Tag.studyDate, Tag(0x0008, 0x0021), Tag(0x0008, 0x0022)] { header.set(tag, .DA, date) }
        header.set(Tag(0x0008, 0x002A), .DT, date + "101500.5+0100")
        header.set(.studyInstanceUID, .UI, studyUID)
        header.set(DataElement(tag: Tag(0x0054, 0x0016), items: [DataSet([  // Radiopharmaceutical Information
            DataElement(tag: Tag(0x0018, 0x1072), vr: .TM, string: "0930"),                 // … Start Time
            DataElement(tag: Tag(0x0018, 0x1078), vr: .DT, string: date + "0930")])]))  // … Start DateTime
        let bytes = try DicomWriter.encodeFile(dataSet: header, pixelData: try original.frame(0).bytes)
        return try DicomFile(bytes: bytes, name: "study on \(date)")
    }

    func days(_ da: String?) throws -> Int {
        let text = try #require(da)
        let digits = Array(text.utf8.prefix(8)).map { Int($0) - 48 }
        return DateShift.days(digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], digits[4] * 10 + digits[5], digits[6] * 10 + digits[7])
    }

    @Test func modifiedDatesKeepTheIntervalBetweenStudiesOfAPatient() throws {
        var configuration = ProtectionConfiguration()
        configuration.deidentification.options = ["retainLongitudinalModifiedDates"]
        let first = try study(on: "20230301", from: sampleTreeFiles[0], studyUID: "1.2.826.0.1.1")
        let second = try study(on: "20230319", from: sampleTreeFiles[1], studyUID: "1.2.826.0.1.2")
        func protectedHeader(_ file: DicomFile) throws -> DataSet {
            try DicomFile(bytes: makeProtector(configuration).protect(file).fileBytes, name: "p").dataSet
        }
        let a = try protectedHeader(first), b = try protectedHeader(second)
        #expect(try days(b.string(.studyDate)) - days(a.string(.studyDate)) == 18, "the interval between the studies is kept")
        #expect(a.string(.studyDate) != "20230301" && a.string(.studyDate) != "19000101")
        let shift = try days(a.string(.studyDate)) - days("20230301")
        #expect((-3650 ... -1).contains(shift))
        // Every date of the instance moves by the same offset, nested ones and DT included; times stay.
        #expect(try days(a.string(Tag(0x0008, 0x0022))) - days("20230301") == shift)
        let dateTime = try #require(a.string(Tag(0x0008, 0x002A)))
        #expect(try days(dateTime) - days("20230301") == shift && dateTime.hasSuffix("101500.5+0100"))
        let item = try #require(a[Tag(0x0054, 0x0016)]?.items?.first)
        #expect(try days(item.string(Tag(0x0018, 0x1078))) - days("20230301") == shift)
        #expect(item.string(Tag(0x0018, 0x1072)) == "0930")
        #expect(a.string(Tag(0x0028, 0x0303)) == "MODIFIED")
        // Another run (a fresh protector with the same site secret) gives the same dates.
        #expect(try protectedHeader(first).string(.studyDate) == a.string(.studyDate))
        // Another patient gets another offset (almost surely).
        let other = DateShift(patientOf: DataSet([DataElement(tag: .patientID, vr: .LO, string: "SOMEONE ELSE")]),
                              keyedHash: { HMACSHA256.authenticate($0, key: Array("test site secret".utf8)) })
        #expect(other.days != shift)
    }

    @Test func restoreGivesBackTheOriginalDates() throws {
        var configuration = ProtectionConfiguration()
        configuration.deidentification.options = ["retainLongitudinalModifiedDates"]
        let original = try DicomFile.read(sampleTreeFiles[0])
        let protected = try makeProtector(configuration).protect(original)
        let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile(bytes: protected.fileBytes, name: "p"))
        #expect(restored.fileBytes == original.originalBytes())
    }

    @Test func dateArithmetic() {
        let shift = DateShift(days: -1)
        #expect(shift.shift("20240301") == "20240229")
        #expect(shift.shift("20230101120000") == "20221231120000")
        #expect(DateShift(days: 366).shift("20200101") == "20210101")
        #expect(shift.shift("2024") == nil && shift.shift("20241301") == nil && shift.shift("20230229") == nil)
        #expect(DateShift.civil(fromDays: DateShift.days(1900, 2, 28) + 1) == (1900, 3, 1))
    }

    // MARK: Overrides

    @Test func overridesWinOverTheProfile() throws {
        let original = try DicomFile.read(sampleTreeFiles[0]).dataSet
        let d = try deidentifier(overrides: [
            "PatientAge": .keep, "(0008,0080)": .replace("ACME"), "0010,0020": .hash, "StationName": .empty,
            "00080070": .remove, "(0009,xx01) ACME SAMPLE 1.0": .hash,
        ])
        var input = original
        input.set(Tag(0x0010, 0x1010), .AS, "042Y")
        let result = d.apply(to: input)
        #expect(result.string(Tag(0x0010, 0x1010)) == "042Y")
        #expect(result.string(.institutionName) == "ACME")
        let hashed = try #require(result.string(.patientID))
        #expect(hashed.count == 16 && hashed != original.string(.patientID))
        #expect(try deidentifier(overrides: ["PatientID": .hash]).apply(to: input).string(.patientID) == hashed, "keyed, so stable")
        #expect(result[Tag(0x0008, 0x1010)]?.bytes == [])
        #expect(result[Tag(0x0008, 0x0070)] == nil)
        // The private element is kept (hashed) with its creator; nothing else of that block.
        #expect(result.string(Tag(0x0009, 0x0010)) == "ACME SAMPLE 1.0")
        #expect(result.string(Tag(0x0009, 0x1001))?.count == 16)
    }

    @Test(arguments: ["PatientNmae", "(0010,00ZZ)", "0010,001", "(0009,xx01)", "(0011,1001)"])
    func overridesNamingNoAttributeAreConfigurationErrors(key: String) throws {
        var configuration = ProtectionConfiguration()
        configuration.deidentification.overrides = [key: .remove]
        #expect(throws: ProtectionError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect(error.description.contains(key))
        }
    }

    @Test func overridesParseFromTheConfigurationFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config.json"
            try #"{"deidentification": {"overrides": {"PatientAge": "keep", "(0008,0080)": {"replace": "ACME"}, "PatientID": "hash"}}}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            let configuration = try ProtectionConfiguration.load(path)
            #expect(configuration.deidentification.overrides == ["PatientAge": .keep, "(0008,0080)": .replace("ACME"), "PatientID": .hash])
            try #"{"deidentification": {"overrides": {"PatientAge": "blank"}}}"#.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ProtectionError.self) { try ProtectionConfiguration.load(path) }
        }
    }

    // MARK: Outputs as an auditor checks them

    /// Every real sample (except those protect skips) and the synthetic slices.
    static let inputs: [String] = sampleNames.map(sample) + sampleTreeFiles

    /// The protected header, or nil when protect skips the input (a transfer syntax it cannot decode).
    func protectedHeader(_ input: String, _ configuration: ProtectionConfiguration = .init()) throws -> (bytes: [UInt8], header: DataSet)? {
        do {
            let bytes = try makeProtector(configuration).protect(try DicomFile.read(input)).fileBytes
            return (bytes, try DicomFile(bytes: bytes, name: "protected").dataSet)
        } catch DicomError.unsupportedTransferSyntax {
            return nil
        }
    }

    @Test(arguments: inputs)
    func noAttributeWithANonKeepActionKeepsItsValue(input: String) throws {
        let original = try DicomFile.read(input).dataSet
        guard var header = try protectedHeader(input)?.header else { return }
        header.remove(EncryptedAttributes.sequenceTag)
        for tag in PrivateRecord.tags(in: header) { header.remove(tag) }
        var originals: [Tag: Set<[UInt8]>] = [:]
        original.walk { _, element in
            guard !element.tag.isPrivate, let entry = DeidentificationProfile.entry(for: element.tag), entry.basic != .keep,
                  let bytes = element.bytes, !bytes.isEmpty, bytes != DummyValue.bytes(for: element.vr) else { return }
            originals[element.tag, default: []].insert(bytes)
        }
        #expect(!originals.isEmpty)
        var kept: [String] = []
        header.walk { path, element in
            if let bytes = element.bytes, originals[element.tag]?.contains(bytes) == true {
                kept.append("\(path.map(\.description).joined(separator: ">"))>\(element.tag) \(element.string ?? "")")
            }
        }
        #expect(kept.isEmpty, "original values left in \(input): \(kept)")
    }

    @Test(.enabled(if: toolExists("dciodvfy")), arguments: inputs, ["", "retainLongitudinalModifiedDates"])
    func dciodvfyFindsNoNewErrors(input: String, option: String) throws {
        var configuration = ProtectionConfiguration()
        configuration.deidentification.options = option.isEmpty ? [] : [option]
        guard let bytes = try protectedHeader(input, configuration)?.bytes else { return }
        try withTemporaryDirectory { directory in
            let path = directory + "/protected.dcm"
            try write(bytes, to: path)
            func errors(_ file: String) throws -> Set<String> {
                let result = try run("dciodvfy", [file], mergingErrors: true)
                return Set(result.output.split(separator: "\n").filter { $0.hasPrefix("Error") }.map(String.init))
            }
            let new = try errors(path).subtracting(try errors(input))
            #expect(new.isEmpty, "dciodvfy errors only in the protected \(input): \(new.sorted())")
        }
    }

    @Test func burnedInAnnotationIsOnlyDeclaredWhereTheIODAllowsIt() throws {
        // Identifying QR lines (the paper's preset) are burned-in annotation: YES where the IOD allows it.
        var paper = ProtectionConfiguration()
        paper.qr.preset = "paper"
        let enhanced = try #require(try protectedHeader(sample("eCT_Supplemental.dcm"), paper)?.header)
        #expect(enhanced.string(Tag(0x0028, 0x0301)) != "YES")
        #expect(enhanced[Tag(0x0012, 0x0063)]?.strings.contains("QR code with plain text burned into the pixels") == true)
        let ct = try #require(try protectedHeader(sampleTreeFiles[0], paper)?.header)
        #expect(ct.string(Tag(0x0028, 0x0301)) == "YES")
        // The default lines identify no one: the original's declaration stands (NO in the enhanced CT).
        let plain = try #require(try protectedHeader(sample("eCT_Supplemental.dcm"))?.header)
        #expect(plain.string(Tag(0x0028, 0x0301)) == "NO")
    }

    @Test(arguments: ["emri_small_RLE.dcm", "emri_small_jpeg_ls_lossless.dcm"])
    func restoreKeepsTheOriginalFileMetaInformation(name: String) throws {
        let original = try DicomFile.read(sample(name))
        let protected = try makeProtector().protect(original)
        let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile(bytes: protected.fileBytes, name: "p"))
        let meta = try DicomFile(bytes: restored.fileBytes, name: "restored").metaInformation
        for element in original.metaInformation.elements where ![0x0000, 0x0010].contains(element.tag.element) {
            #expect(meta[element.tag] == element, "\(element.tag)")
        }
        // Compressed inputs now come back byte for byte (the record carries the original file).
        #expect(restored.byteExact)
        #expect(meta.string(.transferSyntaxUID) == original.transferSyntax.uid)
    }
}
