internal import CDCMTK

/// A transfer syntax, described by DCMTK: its name, whether pixel data is encapsulated (compressed),
/// and whether the codecs registered here (or OpenJPEG, for JPEG 2000) can decode it.
package struct TransferSyntax: Sendable, Hashable, CustomStringConvertible {
    package let uid: String
    package let name: String
    package let isEncapsulated: Bool
    package let isDecodable: Bool

    package init(uid: String) {
        self.uid = uid
        name = cdcm_syntax_name(uid).map { String(cString: $0) } ?? uid
        isEncapsulated = cdcm_syntax_is_encapsulated(uid)
        isDecodable = cdcm_syntax_is_decodable(uid) || JPEG2000.transferSyntaxes.contains(uid)
    }

    package var description: String { "\(name) (\(uid))" }

    package static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1")
}

extension TransferSyntax {
    /// Explicit VR Big Endian (retired, still found in archives).
    package var isBigEndian: Bool { uid == "1.2.840.10008.1.2.2" }
    /// JPEG 2000 (and HTJ2K), decoded through OpenJPEG rather than DCMTK.
    package var isJPEG2000: Bool { JPEG2000.transferSyntaxes.contains(uid) }
    /// Deflated Explicit VR Little Endian: the whole dataset is zlib-compressed.
    package var isDeflated: Bool { uid == "1.2.840.10008.1.2.1.99" }
    /// Lossy compression (JPEG baseline/extended, JPEG-LS near-lossless, lossy JPEG 2000 and HTJ2K):
    /// the decoded values are all there is.
    package var isLossy: Bool {
        ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91",
         "1.2.840.10008.1.2.4.93", "1.2.840.10008.1.2.4.203"].contains(uid)
    }
}
