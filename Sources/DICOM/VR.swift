/// A value representation, by its two-letter code ("PN", "SQ", …).
package struct VR: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }

    /// Text VRs, whose values are padded with a space (UI with NUL) to even length.
    package var isText: Bool { Self.textVRs.contains(rawValue) }

    /// The byte that pads a value of this VR to even length.
    package var paddingByte: UInt8 { self == .UI || !isText ? 0x00 : 0x20 }

    private static let textVRs: Set<String> = [
        "AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT",
    ]

    package static let AE = VR(rawValue: "AE"), AS = VR(rawValue: "AS"), AT = VR(rawValue: "AT")
    package static let CS = VR(rawValue: "CS"), DA = VR(rawValue: "DA"), DS = VR(rawValue: "DS")
    package static let DT = VR(rawValue: "DT"), FD = VR(rawValue: "FD"), FL = VR(rawValue: "FL")
    package static let IS = VR(rawValue: "IS"), LO = VR(rawValue: "LO"), LT = VR(rawValue: "LT")
    package static let OB = VR(rawValue: "OB"), OD = VR(rawValue: "OD"), OF = VR(rawValue: "OF")
    package static let OL = VR(rawValue: "OL"), OV = VR(rawValue: "OV"), OW = VR(rawValue: "OW")
    package static let PN = VR(rawValue: "PN"), SH = VR(rawValue: "SH"), SL = VR(rawValue: "SL")
    package static let SQ = VR(rawValue: "SQ"), SS = VR(rawValue: "SS"), ST = VR(rawValue: "ST")
    package static let SV = VR(rawValue: "SV"), TM = VR(rawValue: "TM"), UC = VR(rawValue: "UC")
    package static let UI = VR(rawValue: "UI"), UL = VR(rawValue: "UL"), UN = VR(rawValue: "UN")
    package static let UR = VR(rawValue: "UR"), US = VR(rawValue: "US"), UT = VR(rawValue: "UT")
    package static let UV = VR(rawValue: "UV")
}
