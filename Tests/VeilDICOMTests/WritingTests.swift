import Foundation
import Testing
import VeilTestSupport
import VeilDICOM

@Suite("Writing, editing and encoding")
struct WritingTests {
    /// A dataset and its pixels, rewritten through a file and read back.
    private func roundTrip(_ dataSet: DataSet, pixels: [UInt8]?, in directory: String) throws -> DicomFile {
        let path = "\(directory)/written.dcm"
        try DicomWriter.write(dataSet: dataSet, pixelData: pixels, to: path)
        return try DicomFile.read(path)
    }

    @Test("A decoded sample written as Explicit VR Little Endian reads back equal, and other tools read it",
          arguments: ["emri_small_RLE.dcm", "US1_UNCR.dcm", "eCT_Supplemental.dcm"])
    func writeAndReadBack(name: String) throws {
        let original = try DicomFile.read(sample(name))
        let pixels = try (0..<original.frameCount).flatMap { try original.frame($0).bytes }
        var dataSet = original.dataSet
        dataSet.set(.sopInstanceUID, .UI, "2.25.1234567890")
        try withTemporaryDirectory { directory throws in
            let written = try roundTrip(dataSet, pixels: pixels, in: directory)
            #expect(written.transferSyntax == .explicitVRLittleEndian)
            #expect(written.dataSet == dataSet)
            #expect(written.metaInformation.string(.mediaStorageSOPInstanceUID) == "2.25.1234567890")
            #expect(written.metaInformation.string(.mediaStorageSOPClassUID) == dataSet.string(.sopClassUID))
            #expect(try written.allSamples() == original.allSamples())
            #expect(try (0..<written.frameCount).flatMap { try written.frame($0).bytes } == pixels)
            #expect(try DicomFile.read(written.path).originalBytes() == Data(contentsOf: URL(fileURLWithPath: written.path)).map { $0 })
            if toolExists("dcmdump") { #expect(try run("dcmdump", ["-q", written.path]).status == 0) }
            if PydicomReference.isAvailable {
                #expect(try PydicomReference.of(written.path).samples == original.allSamples())
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["written.dcm"])
        }
    }

    @Test("Encoding is deterministic and the meta header is regenerated")
    func deterministic() throws {
        let file = try DicomFile.read(sample("emri_small.dcm"))
        let pixels = try (0..<file.frameCount).flatMap { try file.frame($0).bytes }
        var dataSet = file.dataSet
        dataSet.set(.transferSyntaxUID, .UI, "1.2.840.10008.1.2.4.90")  // ignored: meta is DCMTK's
        let bytes = try DicomWriter.encodeFile(dataSet: dataSet, pixelData: pixels)
        #expect(try DicomWriter.encodeFile(dataSet: file.dataSet, pixelData: pixels) == bytes)
        #expect(Array(bytes[128..<132]) == Array("DICM".utf8))
        #expect(try DicomFile(bytes: bytes, name: "memory").transferSyntax == .explicitVRLittleEndian)
    }

    @Test("A dataset without pixel data writes and reads back")
    func noPixels() throws {
        let dataSet = DataSet([
            DataElement(tag: .sopClassUID, vr: .UI, string: "1.2.840.10008.5.1.4.1.1.7"),
            DataElement(tag: .sopInstanceUID, vr: .UI, string: "2.25.42"),
            DataElement(tag: .patientName, vr: .PN, string: "Doe^Jane"),
        ])
        let file = try DicomFile(bytes: DicomWriter.encodeFile(dataSet: dataSet, pixelData: nil), name: "memory")
        #expect(file.dataSet == dataSet && !file.hasPixelData && file.geometry == nil)
        #expect(throws: DicomError.noPixelData(path: "memory")) { try file.frame(0) }
    }

    @Test("Pixel data of the wrong length is refused")
    func wrongPixelLength() throws {
        let file = try DicomFile.read(sample("emri_small.dcm"))
        #expect(throws: DicomError.cannotEncode(detail: "pixel data has 10 bytes, the geometry needs 81920")) {
            try DicomWriter.encodeFile(dataSet: file.dataSet, pixelData: [UInt8](repeating: 0, count: 10))
        }
    }

    @Test("Nested sequences and private blocks: add, replace, remove, round-trip through a file")
    func sequencesAndPrivateElements() throws {
        let original = try DicomFile.read(sample("emri_small.dcm"))
        let pixels = try (0..<original.frameCount).flatMap { try original.frame($0).bytes }
        let code = DataSet([
            DataElement(tag: Tag(0x0008, 0x0100), vr: .SH, string: "113100"),
            DataElement(tag: Tag(0x0008, 0x0102), vr: .SH, string: "DCM"),
        ])
        let inner = DataSet([
            DataElement(tag: Tag(0x0008, 0x1150), vr: .UI, string: "1.2.840.10008.5.1.4.1.1.4"),
            DataElement(tag: Tag(0x0040, 0xA170), items: [code, code]),
        ])
        var dataSet = original.dataSet
        dataSet.set(DataElement(tag: .referencedImageSequence, items: [inner, DataSet()]))
        dataSet.set(DataElement(tag: .deidentificationMethodCodeSequence, items: []))
        dataSet.set(Tag(0x0009, 0x0010), .LO, "VEIL TEST")
        dataSet.set(Tag(0x0009, 0x1001), .LO, "private text")
        dataSet.set(DataElement(tag: Tag(0x0009, 0x1002), vr: .OB, bytes: [1, 2, 3, 4]))
        dataSet.set(DataElement(tag: Tag(0x0009, 0x1003), vr: .US, uint16s: [7, 65535]))
        dataSet.set(DataElement(tag: Tag(0x0009, 0x1004), items: [DataSet([DataElement(tag: .patientID, vr: .LO, string: "nested")])]))
        dataSet.set(.patientName, .PN, "Replaced^Name")
        dataSet.remove(.patientBirthDate)

        try withTemporaryDirectory { directory throws in
            var written = try roundTrip(dataSet, pixels: pixels, in: directory).dataSet
            #expect(written == dataSet)
            #expect(written[Tag(0x0009, 0x1003)]?.uint16s == [7, 65535])
            #expect(written[.referencedImageSequence]?.items?[0][Tag(0x0040, 0xA170)]?.items?.count == 2)
            #expect(written.string(.patientName) == "Replaced^Name")
            #expect(written[.patientBirthDate] == nil)

            // Remove an item and a private block at every level, then round-trip again.
            written[.referencedImageSequence].map { sequence in
                var sequence = sequence
                sequence.items?.removeLast()
                written.set(sequence)
            }
            written.transform { _, element in element.tag.isPrivate ? nil : element }
            let again = try roundTrip(written, pixels: pixels, in: directory).dataSet
            #expect(again == written)
            #expect(again[.referencedImageSequence]?.items?.count == 1)
            #expect(!again.elements.contains { $0.tag.isPrivate })
        }
    }

    @Test("walk and transform reach every nesting level, with the enclosing path")
    func walkAndTransform() throws {
        let leaf = DataSet([DataElement(tag: .patientName, vr: .PN, string: "Deep^Name")])
        var dataSet = DataSet([
            DataElement(tag: .patientName, vr: .PN, string: "Top^Name"),
            DataElement(tag: .referencedImageSequence, items: [
                DataSet([DataElement(tag: Tag(0x0040, 0xA170), items: [leaf])]),
            ]),
        ])
        var seen: [[Tag]] = []
        dataSet.walk { path, element in if element.tag == .patientName { seen.append(path) } }
        #expect(seen == [[.referencedImageSequence, Tag(0x0040, 0xA170)], []])

        dataSet.transform { _, element in
            element.tag == .patientName ? DataElement(tag: .patientName, vr: .PN, string: "Anonymous") : element
        }
        var names = [String]()
        dataSet.walk { _, element in if element.tag == .patientName { names.append(element.string ?? "") } }
        #expect(names == ["Anonymous", "Anonymous"])
    }

    @Test("Attribute sets encode to Explicit VR Little Endian and decode back", arguments: sampleNames)
    func attributeCodec(name: String) throws {
        let dataSet = try DicomFile.read(sample(name)).dataSet
        let modified = DataSet([DataElement(tag: .modifiedAttributesSequence, items: [dataSet])])
        let bytes = try AttributeCodec.encode(modified)
        #expect(Array(bytes.prefix(6)) == [0x00, 0x04, 0x50, 0x05, 0x53, 0x51])  // (0400,0550) SQ
        #expect(try AttributeCodec.decode(bytes) == modified)
        #expect(throws: DicomError.self) { try AttributeCodec.decode(Array(bytes.dropLast(5))) }
    }

    @Test("Text values: padding, multiple values, non-UTF-8 bytes")
    func textValues() {
        let odd = DataElement(tag: .patientName, vr: .PN, string: "Doe^Jo")
        #expect(odd.bytes == Array("Doe^Jo".utf8))
        let uid = DataElement(tag: .sopInstanceUID, vr: .UI, string: "1.2.3")
        #expect(uid.bytes == Array("1.2.3".utf8) + [0])
        #expect(uid.string == "1.2.3")
        #expect(DataElement(tag: .imageType, vr: .CS, strings: ["ORIGINAL", "PRIMARY"]).strings == ["ORIGINAL", "PRIMARY"])
        #expect(DataElement(tag: .patientName, vr: .PN, bytes: [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72]).string == "Müller")
        #expect(Tag.patientName.description == "(0010,0010)")
        #expect(Tag(0x0009, 0x1001).privateCreator == Tag(0x0009, 0x0010) && Tag(0x0009, 0x0010).isPrivateCreator)
    }
}
