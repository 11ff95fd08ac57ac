import Foundation
import Testing
import VeilTestSupport
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM

/// Bound together (SPEC §2): pixels, Encrypted Attributes Sequence and restoration record of one
/// instance are refused in any other instance, and the pixels carry what is needed to read them.
@Suite struct BindingTests {
    enum Part: String, CaseIterable, CustomTestStringConvertible {
        case pixels, attributes, record
        var testDescription: String { rawValue }
    }

    /// Two protected slices of the same geometry (one series, one recipient).
    static let pairBytes: [[UInt8]] = {
        let protector = makeProtector()
        return sampleTreeFiles.prefix(2).map { path in try! protector.protect(try! DicomFile.read(path)).fileBytes }
    }()

    var pair: (a: DicomFile, b: DicomFile) {
        get throws { (try DicomFile(bytes: Self.pairBytes[0], name: "a"), try DicomFile(bytes: Self.pairBytes[1], name: "b")) }
    }

    static func privateRecordElements(_ dataSet: DataSet) -> [DataElement] {
        dataSet.elements.filter { $0.tag.group == PrivateRecord.group }
    }

    static func pixels(_ file: DicomFile) throws -> [UInt8] {
        try (0..<(file.geometry?.frames ?? 0)).flatMap { try file.frame($0).bytes }
    }

    /// `target` with `moved` parts taken from `source` and `stripped` parts removed.
    static func spliced(_ target: DicomFile, from source: DicomFile, moving moved: Set<Part>, stripping stripped: Set<Part> = []) throws -> DicomFile {
        var dataSet = target.dataSet
        if moved.contains(.attributes) { dataSet.set(source.dataSet[EncryptedAttributes.sequenceTag]!) }
        if stripped.contains(.attributes) { dataSet.remove(EncryptedAttributes.sequenceTag) }
        if moved.contains(.record) || stripped.contains(.record) {
            for element in privateRecordElements(dataSet) { dataSet.remove(element.tag) }
        }
        if moved.contains(.record) { for element in privateRecordElements(source.dataSet) { dataSet.set(element) } }
        let pixels = try Self.pixels(moved.contains(.pixels) ? source : target)
        return try DicomFile(bytes: DicomWriter.encodeFile(dataSet: dataSet, pixelData: pixels), name: "spliced")
    }

    static let splices: [(moved: Set<Part>, stripped: Set<Part>)] = {
        var cases: [(Set<Part>, Set<Part>)] = []
        for part in Part.allCases {
            let others = Set(Part.allCases).subtracting([part, .pixels])
            cases.append(([part], []))
            // The same move with the other non-pixel parts stripped, one at a time and together.
            for other in others { cases.append(([part], [other])) }
            if others.count == 2 { cases.append(([part], others)) }
        }
        cases.append(([.pixels, .attributes], []))
        cases.append(([.pixels, .record], []))
        cases.append(([.attributes, .record], []))
        cases.append(([.pixels, .attributes, .record], []))
        return cases
    }()

    @Test(arguments: 0..<splices.count)
    func splicedPartsAreRefusedInBothDirections(_ index: Int) throws {
        let (moved, stripped) = Self.splices[index]
        for (source, target) in [(try pair.a, try pair.b), (try pair.b, try pair.a)] {
            let file = try Self.spliced(target, from: source, moving: moved, stripping: stripped)
            #expect("moved \(moved.map(\.rawValue).sorted()), stripped \(stripped.map(\.rawValue).sorted())") {
                try InstanceRestorer(key: testKeys.key).restore(file)
            } throws: { error in
                guard case ProtectionError.mismatched(let detail) = error else { return false }
                return !detail.isEmpty
            }
        }
    }

    /// CBC has no integrity: a flipped ciphertext bit rewrites the next plaintext block at will.
    /// The binding's digest of the plaintext refuses every such edit.
    @Test(arguments: [40, 200, 333, 500, 700])
    func flippedAttributeCiphertextIsRefused(_ offsetFromEnd: Int) throws {
        var dataSet = try pair.a.dataSet
        guard case let .sequence(items)? = dataSet[EncryptedAttributes.sequenceTag]?.value,
              case var .bytes(content)? = items[0][EncryptedAttributes.contentTag]?.value else {
            Issue.record("no encrypted content"); return
        }
        let position = content.count - offsetFromEnd
        content[position] ^= 0x01
        var item = items[0]
        item.set(DataElement(tag: EncryptedAttributes.contentTag, vr: VR(rawValue: "OB"), value: .bytes(content)))
        dataSet.set(DataElement(tag: EncryptedAttributes.sequenceTag, vr: VR(rawValue: "SQ"), value: .sequence([item])))
        let file = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: dataSet, pixelData: Self.pixels(try pair.a)), name: "flipped")
        #expect(throws: ProtectionError.self) { try InstanceRestorer(key: testKeys.key).restore(file) }
    }

    /// A frame whose words carry bits above HighBit is protected as raw 16-bit words (the header
    /// says 16/15/0); with every private element and the EAS stripped, the restored header must
    /// still read the pixels as the original did (12/11/1 here).
    @Test func thePixelsCarryTheirDescription() throws {
        let original = try DicomFile.read(packageRoot + "/Tests/Fixtures/format-1/originals/ct-stray-high-bits.dcm")
        let protected = try DicomFile(bytes: makeProtector().protect(original).fileBytes, name: "protected")
        #expect(protected.geometry?.bitsStored == 16)
        var stripped = protected.dataSet
        for element in stripped.elements where element.tag.isPrivate || element.tag == EncryptedAttributes.sequenceTag {
            stripped.remove(element.tag)
        }
        let file = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: stripped, pixelData: Self.pixels(protected)), name: "stripped")
        let restored = try DicomFile(bytes: InstanceRestorer(key: testKeys.key).restore(file).fileBytes, name: "restored")
        for tag in InstanceBinding.pixelDescriptionTags {
            #expect(restored.dataSet[tag] == original.dataSet[tag], "\(tag)")
        }
        #expect(try restored.frame(0).samples == original.frame(0).samples)
    }

    /// Header-only outputs have no payload: their authenticated record binds the parts.
    @Test func headerOnlyPartsAreBoundByTheRecord() throws {
        let protector = makeProtector()
        // Two instances of a 64×64 series (too small for a QR): the sample and a copy of it as
        // another patient's instance.
        let first = try DicomFile.read(sample("emri_small.dcm"))
        var other = first.dataSet
        other.set(DataElement(tag: .sopInstanceUID, vr: VR(rawValue: "UI"), string: (first.dataSet.string(.sopInstanceUID) ?? "1.2") + ".7"))
        other.set(DataElement(tag: .patientName, vr: VR(rawValue: "PN"), string: "Other^Patient"))
        let second = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: other, pixelData: Self.pixels(first)), name: "second")
        let small = try [first, second].map { file in
            try DicomFile(bytes: protector.protect(file).fileBytes, name: file.path)
        }
        #expect(small[0].dataSet.string(.burnedInAnnotation) != "YES")
        // Unchanged, it restores; its attributes or record in the other, it does not.
        _ = try InstanceRestorer(key: testKeys.key).restore(small[0])
        for moved: Set<Part> in [[.attributes], [.record]] {
            let file = try Self.spliced(small[1], from: small[0], moving: moved)
            #expect(throws: ProtectionError.self, "\(moved)") { try InstanceRestorer(key: testKeys.key).restore(file) }
        }
        // Altered pixel data in a header-only output.
        var pixels = try Self.pixels(small[0])
        pixels[100] ^= 0x04
        let altered = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: small[0].dataSet, pixelData: pixels), name: "altered")
        #expect(throws: ProtectionError.self) { try InstanceRestorer(key: testKeys.key).restore(altered) }
    }

    /// A changed bit of the sealed record is refused, never decrypted to something else.
    @Test func anAlteredRecordIsRefused() throws {
        var dataSet = try pair.a.dataSet
        let element = try #require(Self.privateRecordElements(dataSet).first { $0.vr.rawValue == "OB" })
        guard case var .bytes(value) = element.value else { Issue.record("record is not bytes"); return }
        value[value.count - 20] ^= 0x80
        dataSet.set(DataElement(tag: element.tag, vr: element.vr, value: .bytes(value)))
        let file = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: dataSet, pixelData: Self.pixels(try pair.a)), name: "altered")
        #expect(throws: ProtectionError.self) { try InstanceRestorer(key: testKeys.key).restore(file) }
    }
}
