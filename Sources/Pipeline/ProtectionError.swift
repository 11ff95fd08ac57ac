/// Why one instance could not be protected or restored. Messages say what failed in words an
/// operator can act on; the batch layer adds the file's path.
package enum ProtectionError: Error, CustomStringConvertible, Equatable {
    /// No dcmveil QR code was found in the pixels (and no Encrypted Attributes Sequence either).
    case notAProtectedImage(String)
    /// Written by a newer dcmveil, or an unknown QR key-block version.
    case unsupportedFormat(String)
    /// A QR code was found but its content is damaged.
    case corruptQR(String)
    /// The image was protected for another key.
    case wrongKey(protectedFor: String, given: String)
    /// Pixels, QR or payload were altered: the restoration does not check out.
    case tampered(String)
    /// Parts of the file (pixels, Encrypted Attributes Sequence, restoration record, header) do not
    /// belong together: moved in from another instance, or altered.
    case mismatched(String)
    /// The in-memory restore before writing did not give back the original (a bug; nothing written).
    case verificationFailed(String)
    /// The configuration asks for something impossible.
    case configuration(String)

    package var description: String {
        switch self {
        case let .notAProtectedImage(detail): "not a dcmveil-protected image: \(detail)"
        case let .unsupportedFormat(detail): "unsupported protection format: \(detail)"
        case let .corruptQR(detail): "damaged QR code: \(detail)"
        case let .wrongKey(protectedFor, given):
            "wrong key: the image was protected for key \(protectedFor), the key given is \(given)"
        case let .tampered(detail): "the protected image was altered: \(detail)"
        case let .mismatched(detail): "parts of the file do not belong together: \(detail)"
        case let .verificationFailed(detail): "verification before writing failed: \(detail)"
        case let .configuration(detail): "configuration: \(detail)"
        }
    }
}
