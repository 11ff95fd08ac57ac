/// One attribute: tag, VR and value. Values are kept as the bytes Explicit VR Little Endian encodes
/// (character sets vary, and bytes round-trip exactly); typed views decode them on demand.
package struct DataElement: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        /// The value exactly as in Explicit VR Little Endian: even length, numbers little endian.
        case bytes([UInt8])
        /// The items of a sequence (VR SQ), each a nested dataset.
        case sequence([DataSet])
    }

    package var tag: Tag
    package var vr: VR
    package var value: Value

    package init(tag: Tag, vr: VR, value: Value) {
        self.tag = tag
        self.vr = vr
        self.value = value
    }

    package init(tag: Tag, vr: VR, bytes: [UInt8]) {
        self.init(tag: tag, vr: vr, value: .bytes(bytes))
    }

    /// A sequence element (VR SQ) with the given items.
    package init(tag: Tag, items: [DataSet]) {
        self.init(tag: tag, vr: .SQ, value: .sequence(items))
    }

    /// A text element, encoded as UTF-8 and padded to even length as its VR requires.
    package init(tag: Tag, vr: VR, string: String) {
        var bytes = Array(string.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr.paddingByte) }
        self.init(tag: tag, vr: vr, bytes: bytes)
    }

    /// A multi-valued text element (values joined with "\").
    package init(tag: Tag, vr: VR, strings: [String]) {
        self.init(tag: tag, vr: vr, string: strings.joined(separator: "\\"))
    }

    /// A US element (or another 16-bit VR) with the given values.
    package init(tag: Tag, vr: VR = .US, uint16s: [UInt16]) {
        self.init(tag: tag, vr: vr, bytes: uint16s.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] })
    }

    /// The value bytes; nil for a sequence.
    package var bytes: [UInt8]? {
        if case .bytes(let bytes) = value { return bytes }
        return nil
    }

    /// The items; nil unless this is a sequence. Setting replaces the value with these items.
    package var items: [DataSet]? {
        get {
            if case .sequence(let items) = value { return items }
            return nil
        }
        set { value = .sequence(newValue ?? []) }
    }

    /// The value as text, with trailing padding (spaces, NULs) removed. UTF-8 when valid, else read as
    /// ISO 8859-1 so that no byte is lost or replaced.
    package var string: String? {
        guard var bytes else { return nil }
        while let last = bytes.last, last == 0x20 || last == 0x00 { bytes.removeLast() }
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// The values of a multi-valued text element, split on "\" and trimmed of surrounding spaces.
    package var strings: [String] {
        guard let string else { return [] }
        return string.split(separator: "\\", omittingEmptySubsequences: false).map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
    }

    /// The numbers of a DS or IS element.
    package var numbers: [Double] { strings.compactMap(Double.init) }

    /// Little-endian 16-bit values (US, SS as bit patterns, OW).
    package var uint16s: [UInt16] {
        guard let bytes else { return [] }
        return stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }
}
