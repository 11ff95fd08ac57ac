import VeilFileSystem

/// Why hiding or revealing failed, in words a user can act on. Every message names the file concerned,
/// except the capacity message, whose wording comes from the paper and the specification.
package enum StegoError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file is not what its role needs (certificate, key).
    case unreadable(path: String, reason: String)
    /// The cover is not an image this mode can hide in or write back.
    case unsupportedCover(path: String, reason: String)
    /// The cover has fewer samples than the header and the sealed secret need bits.
    case coverTooSmall(needed: Int, available: Int)
    /// The image carries no dcmveil payload (no magic in its first least significant bits).
    case noPayload(path: String)
    /// A payload written by a later format version.
    case unsupportedVersion(path: String, version: UInt8)
    /// The header is inconsistent with itself or with the image.
    case corruptHeader(path: String, detail: String)
    /// The payload was hidden for another recipient; both keys are named by their short fingerprints.
    case wrongKey(path: String, hiddenFor: String, keyFingerprint: String)
    /// The wrapped key or the sealed payload fails authentication: the stego image was altered.
    case altered(path: String)
    /// The authenticated payload does not decode (written by a faulty or hostile sender).
    case corruptSecret(path: String, detail: String)
    /// Encryption, key wrapping or the self-check after embedding failed.
    case internalFailure(path: String, reason: String)
    /// A file could not be read or written; the file-system error says which, what and why.
    case file(FileSystemError)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read (\(reason))"
        case .unsupportedCover(let path, let reason): "\(path): cannot be used as a cover (\(reason))"
        case .coverTooSmall(let needed, let available):
            "Larger cover/carrier image is needed: the secret needs \(needed) samples, the cover has \(available)"
        case .noPayload(let path): "\(path): no hidden dcmveil payload found"
        case .unsupportedVersion(let path, let version):
            "\(path): hidden payload has format version \(version); this dcmveil reads version \(StegoHeader.version)"
        case .corruptHeader(let path, let detail): "\(path): hidden payload header is corrupt (\(detail))"
        case .wrongKey(let path, let hiddenFor, let keyFingerprint):
            "\(path): the payload was hidden for key \(hiddenFor), not for this key (\(keyFingerprint))"
        case .altered(let path):
            "\(path): hidden payload fails authentication: the stego image was altered after hiding"
        case .corruptSecret(let path, let detail): "\(path): hidden secret does not decode (\(detail))"
        case .internalFailure(let path, let reason): "\(path): \(reason)"
        case .file(let error): error.description
        }
    }
}
