internal import COpenSSL

/// Why a cryptographic operation failed, in terms a caller can act on, with OpenSSL's own account.
///
/// Every failure in VeilCrypto is one of these: OpenSSL's thread-local error queue is drained into
/// `openSSLErrors` so that nothing is lost and nothing stale leaks into the next operation.
package struct CryptoError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, coarse enough to branch on.
    package enum Code: String, Sendable {
        /// The key cannot decrypt this ciphertext: it was made for another key (or altered).
        case wrongKey
        /// The key is encrypted and the passphrase given does not open it.
        case wrongPassphrase
        /// The key is encrypted and no passphrase was given.
        case passphraseRequired
        /// Authenticated decryption rejected the data: it was altered or the key is not the one used.
        case authenticationFailed
        /// The input is not what it claims to be: truncated, corrupt, or of the wrong kind.
        case malformedInput
        /// The key is of a type this operation does not support (e.g. EC for RSA-OAEP).
        case unsupportedKeyType
        /// An argument is out of range (key or nonce length, plaintext too long, ...).
        case invalidArgument
        /// A key or certificate file could not be read.
        case unreadableFile
        /// OpenSSL failed where it should not (out of memory, broken installation).
        case internalFailure
    }

    package let code: Code
    /// What failed, in a sentence.
    package let message: String
    /// OpenSSL's error queue at the time of failure, oldest first.
    package let openSSLErrors: [OpenSSLErrorEntry]

    package var description: String {
        let details = openSSLErrors.map(\.description).joined(separator: "; ")
        return details.isEmpty ? message : "\(message) (OpenSSL: \(details))"
    }

    /// Builds an error from the current thread's OpenSSL error queue, emptying it.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.openSSLErrors = OpenSSLErrorEntry.drainQueue()
    }

    /// An error with queue entries collected earlier (when classifying a failure needs them first).
    init(_ code: Code, _ message: String, _ openSSLErrors: [OpenSSLErrorEntry]) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
    }
}

/// One entry of OpenSSL's error queue, e.g. library "Provider routines", reason "bad decrypt".
package struct OpenSSLErrorEntry: Equatable, CustomStringConvertible, Sendable {
    /// OpenSSL's packed error code (library and reason).
    package let code: UInt
    package let library: String
    package let reason: String
    /// Extra text OpenSSL attached to the error, if any.
    package let detail: String?

    package var description: String {
        [library, reason, detail].compactMap { $0 }.joined(separator: ": ")
    }

    var libraryNumber: Int32 { ERR_GET_LIB(code) }
    var reasonNumber: Int32 { ERR_GET_REASON(code) }

    static func drainQueue() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { return entries }
            let detail = (flags & ERR_TXT_STRING) != 0 ? data.map { String(cString: $0) } : nil
            entries.append(OpenSSLErrorEntry(
                code: code,
                library: ERR_lib_error_string(code).map { String(cString: $0) } ?? "library \(ERR_GET_LIB(code))",
                reason: ERR_reason_error_string(code).map { String(cString: $0) } ?? "reason \(ERR_GET_REASON(code))",
                detail: detail?.isEmpty == false ? detail : nil))
        }
    }
}

/// Starts an operation with an empty error queue, so that its errors are its own.
func beginOpenSSLOperation() {
    ERR_clear_error()
}

/// Throws `CryptoError(code, message)` unless an OpenSSL call returned success (1, or > 0).
func check(_ result: Int32, _ code: CryptoError.Code = .internalFailure, _ message: @autoclosure () -> String) throws {
    guard result > 0 else { throw CryptoError(code, message()) }
}
