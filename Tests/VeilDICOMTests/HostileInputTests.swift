import Foundation
import Testing
import VeilTestSupport
import VeilDICOM
#if canImport(Glibc)
import Glibc
#endif

/// Headers made to trap the process (issue 14, item 4): each must become a typed error naming the file and
/// the attribute, never a crash.
@Suite("Hostile headers give typed errors, never a trap")
struct HostileInputTests {
    typealias Make = HandMadeDICOM

    /// One hostile attribute: the encoded element and the attribute name the error must give.
    struct Case: CustomTestStringConvertible, Sendable {
        let element: [UInt8]
        let attribute: String
        let label: String
        var testDescription: String { label }

        static func text(_ number: UInt16, _ vr: String, _ value: String, _ attribute: String) -> Case {
            Case(element: Make.element(0x0028, number, vr, value), attribute: attribute, label: "\(attribute) = \(value)")
        }
        static func us(_ number: UInt16, _ value: UInt16, _ attribute: String) -> Case {
            Case(element: Make.us(0x0028, number, value), attribute: attribute, label: "\(attribute) = \(value)")
        }
    }

    static let cases: [Case] = [
        .text(0x0008, "IS", "-1", "NumberOfFrames"), .text(0x0008, "IS", "0", "NumberOfFrames"),
        .text(0x0008, "IS", "NaN", "NumberOfFrames"), .text(0x0008, "IS", "1e300", "NumberOfFrames"),
        .text(0x0008, "IS", "2.5", "NumberOfFrames"), .text(0x0008, "IS", "1000000", "NumberOfFrames"),
        .text(0x0008, "IS", "abc", "NumberOfFrames"),
        .us(0x0010, 0, "Rows"), .us(0x0011, 0, "Columns"), .us(0x0100, 0, "BitsAllocated"),
        .us(0x0100, 65535, "BitsAllocated"), .us(0x0101, 17, "BitsStored"), .us(0x0101, 0, "BitsStored"),
        .us(0x0102, 40, "HighBit"), .us(0x0102, 3, "HighBit"), .us(0x0002, 0, "SamplesPerPixel"),
        .us(0x0002, 300, "SamplesPerPixel"), .us(0x0103, 7, "PixelRepresentation"),
        .text(0x1050, "DS", "NaN", "WindowCenter"), .text(0x1050, "DS", "-1e300", "WindowCenter"),
        .text(0x1051, "DS", "inf", "WindowWidth"), .text(0x1051, "DS", "1e300", "WindowWidth"),
        .text(0x1053, "DS", "NaN", "RescaleSlope"), .text(0x1053, "DS", "1e300", "RescaleSlope"),
        .text(0x1053, "DS", "1e-300", "RescaleSlope"), .text(0x1053, "DS", "-inf", "RescaleSlope"),
        .text(0x1052, "DS", "-inf", "RescaleIntercept"), .text(0x1052, "DS", "1e300", "RescaleIntercept"),
    ]

    @Test("A hostile numeric attribute is refused, naming the file and the attribute", arguments: cases)
    func hostileAttribute(_ hostile: Case) throws {
        let name = "hostile/\(hostile.attribute).dcm"
        do throws(DicomError) {
            _ = try DicomFile(bytes: Make.image(replacing: [hostile.element]), name: name)
            Issue.record("\(hostile.label) accepted")
        } catch {
            guard case .invalidAttribute(let path, let attribute) = error else {
                Issue.record("\(hostile.label): \(error)")
                return
            }
            #expect(path == name)
            #expect(attribute.name == hostile.attribute)
            #expect(error.description.hasPrefix("\(name): invalid \(hostile.attribute) (0028,"))
        }
    }

    @Test("The hand-made image itself is fine, so each refusal above is the attribute's")
    func baseline() throws {
        let file = try DicomFile(bytes: Make.image(), name: "good.dcm")
        #expect(file.geometry?.frames == 1)
        #expect(try file.frame(0).samples.count == 64 * 64)
    }

    @Test("A million frames are refused against the real pixel data, not by a failed decode")
    func millionFrames() throws {
        let bytes = try readBytes(sample("emri_small.dcm"))
        let file = try DicomFile(bytes: bytes, name: "x")
        var dataSet = file.dataSet
        dataSet.set(.numberOfFrames, .IS, "1000000")
        dataSet.set(DataElement(tag: .pixelData, vr: .OW, bytes: try (0..<10).flatMap { try file.frame($0).bytes }))
        let hostile = try DicomWriter.encodeFile(dataSet: dataSet, pixelData: nil)
        #expect(throws: DicomError.invalidAttribute(path: "many.dcm", attribute: InvalidAttribute(
            name: "NumberOfFrames", tag: .numberOfFrames, value: "1000000",
            requirement: "the 81920 bytes of Pixel Data hold 10 frames of 8192 bytes"))) {
            try DicomFile(bytes: hostile, name: "many.dcm")
        }
    }

    @Test("Frames claimed beyond an encapsulated image's fragments are refused")
    func encapsulatedFrames() throws {
        let bytes = try readBytes(sample("emri_small_RLE.dcm"))
        let original = try DicomFile(bytes: bytes, name: "x")
        // The frame count is an IS of 2 characters ("10") in this file: same length, so the bytes stay valid.
        let ten = Array("10".utf8), marker: [UInt8] = [0x28, 0x00, 0x08, 0x00, 0x49, 0x53, 0x02, 0x00] + ten
        let at = try #require((0..<(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        var hostile = bytes
        hostile.replaceSubrange((at + 8)..<(at + 10), with: Array("99".utf8))
        #expect(original.frameCount == 10)
        guard case .invalidAttribute(_, let attribute)? = readError(hostile, name: "rle.dcm") else {
            Issue.record("99 frames in 10 fragments accepted")
            return
        }
        #expect(attribute.requirement == "the Pixel Data has 10 fragments, and every frame needs at least one")
    }

    @Test("Nesting up to 64 levels is read; deeper is refused before DCMTK recurses",
          arguments: [(64, true), (65, false), (6000, false), (100_000, false)], [true, false])
    func nesting(depth: (Int, accepted: Bool), undefinedLength: Bool) throws {
        for implicit in [false, true] {
            let bytes = Make.nested(depth: depth.0, undefinedLength: undefinedLength, implicit: implicit)
            let error = readError(bytes, name: "deep.dcm")
            if depth.accepted {
                #expect(error == nil, "\(depth.0) levels, implicit \(implicit): \(String(describing: error))")
            } else {
                #expect(error == .corrupt(path: "deep.dcm", detail: "sequences nested more than 64 levels deep"),
                        "\(depth.0) levels, implicit \(implicit)")
            }
        }
    }

    @Test("A damaged length inside a complete file is corrupt, not truncated; a cut file is truncated")
    func damagedIsNotTruncated() throws {
        let bytes = try readBytes(sample("emri_small.dcm"))
        // (0008,0060) Modality, CS: its 2-byte length made huge, so the element swallows what follows.
        let marker: [UInt8] = [0x08, 0x00, 0x60, 0x00, 0x43, 0x53]
        let at = try #require((0..<(bytes.count - 6)).first { Array(bytes[$0..<($0 + 6)]) == marker })
        var damaged = bytes
        damaged[at + 6] = 0x11
        damaged[at + 7] = 0x01
        let error = readError(damaged, name: "damaged.dcm")
        guard case .corrupt(_, let detail)? = error else {
            Issue.record("damaged length reported as \(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        let pixels = try #require((0..<(bytes.count - 4)).last { Array(bytes[$0..<($0 + 4)]) == [0xE0, 0x7F, 0x10, 0x00] })
        let cut = readError(Array(bytes.prefix(pixels + 100)), name: "cut.dcm")
        #expect(cut == .truncated(path: "cut.dcm", detail: "(7FE0,0010) declares 81920 bytes, 88 remain, at byte \(pixels)"))
    }

    @Test("Only regular files are read: a FIFO and a device are refused at once")
    func nonRegularFiles() throws {
        try withTemporaryDirectory { directory in
            let fifo = directory + "/pipe.dcm"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(throws: DicomError.notRegularFile(path: fifo, kind: "a FIFO")) { try DicomFile.read(fifo) }
        }
        #expect(throws: DicomError.notRegularFile(path: "/dev/zero", kind: "a character device")) {
            try DicomFile.read("/dev/zero")
        }
    }

    /// The error reading `bytes` gives, nil if they read.
    private func readError(_ bytes: [UInt8], name: String) -> DicomError? {
        do {
            _ = try DicomFile(bytes: bytes, name: name)
            return nil
        } catch {
            return error
        }
    }
}
