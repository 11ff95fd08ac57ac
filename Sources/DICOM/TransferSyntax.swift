internal import CDCMTK

/// A transfer syntax, described by DCMTK: its name, whether pixel data is encapsulated (compressed),
/// and whether the codecs registered here can decode it.
public struct TransferSyntax: Sendable, Hashable, CustomStringConvertible {
    public let uid: String
    public let name: String
    public let isEncapsulated: Bool
    public let isDecodable: Bool

    public init(uid: String) {
        self.uid = uid
        name = cdcm_syntax_name(uid).map { String(cString: $0) } ?? uid
        isEncapsulated = cdcm_syntax_is_encapsulated(uid)
        isDecodable = cdcm_syntax_is_decodable(uid)
    }

    public var description: String { "\(name) (\(uid))" }

    public static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1")
}

extension TransferSyntax {
    /// Explicit VR Big Endian (retired, still found in archives).
    public var isBigEndian: Bool { uid == "1.2.840.10008.1.2.2" }
    /// Deflated Explicit VR Little Endian: the whole dataset is zlib-compressed.
    public var isDeflated: Bool { uid == "1.2.840.10008.1.2.1.99" }
}
