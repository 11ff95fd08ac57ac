/// A value representation, by its two-letter code ("PN", "SQ", …).
public struct VR: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Text VRs, whose values are padded with a space (UI with NUL) to even length.
    public var isText: Bool { Self.textVRs.contains(rawValue) }

    /// The byte that pads a value of this VR to even length.
    public var paddingByte: UInt8 { self == .UI || !isText ? 0x00 : 0x20 }

    private static let textVRs: Set<String> = [
        "AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT",
    ]

    public static let AE = VR(rawValue: "AE"), AS = VR(rawValue: "AS"), AT = VR(rawValue: "AT")
    public static let CS = VR(rawValue: "CS"), DA = VR(rawValue: "DA"), DS = VR(rawValue: "DS")
    public static let DT = VR(rawValue: "DT"), FD = VR(rawValue: "FD"), FL = VR(rawValue: "FL")
    public static let IS = VR(rawValue: "IS"), LO = VR(rawValue: "LO"), LT = VR(rawValue: "LT")
    public static let OB = VR(rawValue: "OB"), OD = VR(rawValue: "OD"), OF = VR(rawValue: "OF")
    public static let OL = VR(rawValue: "OL"), OV = VR(rawValue: "OV"), OW = VR(rawValue: "OW")
    public static let PN = VR(rawValue: "PN"), SH = VR(rawValue: "SH"), SL = VR(rawValue: "SL")
    public static let SQ = VR(rawValue: "SQ"), SS = VR(rawValue: "SS"), ST = VR(rawValue: "ST")
    public static let SV = VR(rawValue: "SV"), TM = VR(rawValue: "TM"), UC = VR(rawValue: "UC")
    public static let UI = VR(rawValue: "UI"), UL = VR(rawValue: "UL"), UN = VR(rawValue: "UN")
    public static let UR = VR(rawValue: "UR"), US = VR(rawValue: "US"), UT = VR(rawValue: "UT")
    public static let UV = VR(rawValue: "UV")
}
