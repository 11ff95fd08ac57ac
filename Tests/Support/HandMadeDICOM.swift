/// Hand-made DICOM files for bad-input tests, written byte by byte in Explicit VR Little Endian (or Implicit VR
/// for the dataset, when asked), so that any value can go where a real writer would refuse it: NaN, −1,
/// a million frames, sequences nested thousands deep.
public enum HandMadeDICOM {
    public static let explicitLittle = "1.2.840.10008.1.2.1"
    public static let implicitLittle = "1.2.840.10008.1.2"
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// One Explicit VR Little Endian element; text values are padded to even length as DICOM requires.
    public static func element(_ group: UInt16, _ number: UInt16, _ vr: String, _ text: String) -> [UInt8] {
        var value = Array(text.utf8)
        if value.count % 2 == 1 { value.append(vr == "UI" ? 0 : 0x20) }
        return element(group, number, vr, bytes: value)
    }

    public static func element(_ group: UInt16, _ number: UInt16, _ vr: String, bytes value: [UInt8]) -> [UInt8] {
        var out = u16(group) + u16(number) + Array(vr.utf8)
        if ["OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV", "SV", "UV"].contains(vr) {
            out += [0, 0] + u32(UInt32(value.count))
        } else {
            out += u16(UInt16(value.count))
        }
        return out + value
    }

    /// An unsigned short (US) element.
    public static func us(_ group: UInt16, _ number: UInt16, _ value: UInt16) -> [UInt8] {
        element(group, number, "US", bytes: u16(value))
    }

    /// Preamble, "DICM" and a File Meta group for `dataset` (already encoded in `transferSyntax`).
    public static func file(dataset: [UInt8], transferSyntax: String = explicitLittle,
                            sopClass: String = "1.2.840.10008.5.1.4.1.1.7") -> [UInt8] {
        let meta = element(0x0002, 0x0001, "OB", bytes: [0, 1]) + element(0x0002, 0x0002, "UI", sopClass)
            + element(0x0002, 0x0003, "UI", "1.2.826.0.1.3680043.2.1125.1") + element(0x0002, 0x0010, "UI", transferSyntax)
        let group = element(0x0002, 0x0000, "UL", bytes: u32(UInt32(meta.count))) + meta
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + group + dataset
    }

    /// A 64×64, 16-bit MONOCHROME2 secondary-capture image with one frame of pixel data (a gradient), whose
    /// attributes `replacing` overrides or adds: each entry is an encoded element (see `element`, `us`).
    public static func image(replacing overrides: [[UInt8]] = []) -> [UInt8] {
        let pixels = (0..<(64 * 64)).flatMap { u16(UInt16($0 % 4096)) }
        var elements: [UInt32: [UInt8]] = [:]
        for encoded in [
            element(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
            element(0x0008, 0x0018, "UI", "1.2.826.0.1.3680043.2.1125.1"),
            element(0x0008, 0x0060, "CS", "OT"),
            element(0x0010, 0x0010, "PN", "HOSTILE^INPUT"),
            element(0x0010, 0x0020, "LO", "HOSTILE-1"),
            element(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.2.1125.2"),
            element(0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.2.1125.3"),
            us(0x0028, 0x0002, 1), element(0x0028, 0x0004, "CS", "MONOCHROME2"),
            us(0x0028, 0x0010, 64), us(0x0028, 0x0011, 64),
            us(0x0028, 0x0100, 16), us(0x0028, 0x0101, 12), us(0x0028, 0x0102, 11), us(0x0028, 0x0103, 0),
            element(0x0028, 0x1050, "DS", "2048"), element(0x0028, 0x1051, "DS", "4096"),
            element(0x0028, 0x1052, "DS", "0"), element(0x0028, 0x1053, "DS", "1"),
            element(0x7FE0, 0x0010, "OW", bytes: pixels),
        ] + overrides {
            elements[tagKey(encoded)] = encoded
        }
        return file(dataset: elements.keys.sorted().flatMap { elements[$0]! })
    }

    /// A file whose Referenced Image Sequence nests `depth` levels deep. Undefined lengths (with delimitation
    /// items) or defined ones; Explicit or Implicit VR Little Endian.
    public static func nested(depth: Int, undefinedLength: Bool = true, implicit: Bool = false) -> [UInt8] {
        func header(_ group: UInt16, _ number: UInt16, _ vr: String, length: UInt32) -> [UInt8] {
            implicit ? u16(group) + u16(number) + u32(length)
                : u16(group) + u16(number) + Array(vr.utf8) + (vr == "SQ" ? [0, 0] + u32(length) : u16(UInt16(length)))
        }
        let innermost = header(0x0008, 0x1150, "UI", length: 8) + Array("1.2.3.4\0".utf8)
        // Built as openings + innermost + closings (not by wrapping, which copies the whole nest per level).
        var openings = [[UInt8]](), closings = [UInt8]()
        if undefinedLength {
            let opening = header(0x0008, 0x1140, "SQ", length: Self.undefinedLength) + u16(0xFFFE) + u16(0xE000) + u32(Self.undefinedLength)
            openings = Array(repeating: opening, count: depth)
            closings = Array([[UInt8]](repeating: u16(0xFFFE) + u16(0xE00D) + u32(0) + u16(0xFFFE) + u16(0xE0DD) + u32(0), count: depth).joined())
        } else {
            var length = UInt32(innermost.count)
            for _ in 0..<depth {  // innermost level first
                let sequenceHeaderLength: UInt32 = implicit ? 8 : 12
                openings.append(header(0x0008, 0x1140, "SQ", length: length + 8) + u16(0xFFFE) + u16(0xE000) + u32(length))
                length += 8 + sequenceHeaderLength
            }
            openings.reverse()
        }
        let content = Array(openings.joined()) + innermost + closings
        let sop = header(0x0008, 0x0016, "UI", length: 26) + Array("1.2.840.10008.5.1.4.1.1.7\0".utf8)
        let instance = header(0x0008, 0x0018, "UI", length: 8) + Array("1.2.3.5\0".utf8)
        let name = header(0x0010, 0x0010, "PN", length: 4) + Array("X^Y ".utf8)
        return file(dataset: sop + instance + content + name, transferSyntax: implicit ? implicitLittle : explicitLittle)
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func u32(_ value: UInt32) -> [UInt8] { u16(UInt16(value & 0xFFFF)) + u16(UInt16(value >> 16)) }
    static func tagKey(_ encoded: [UInt8]) -> UInt32 {
        UInt32(encoded[0]) << 16 | UInt32(encoded[1]) << 24 | UInt32(encoded[2]) | UInt32(encoded[3]) << 8
    }
}
