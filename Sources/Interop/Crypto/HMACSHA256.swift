internal import COpenSSL

/// HMAC with SHA-256 (RFC 2104): keyed message authentication, e.g. for keyed UID mapping.
package enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (any length).
    package static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let result = withNonNullPointer(to: key) { keyBase, keyCount in
            withNonNullPointer(to: message) { messageBase, messageCount in
                HMAC(EVP_sha256(), keyBase, Int32(keyCount), messageBase, messageCount, &code, &length)
            }
        }
        precondition(result != nil && length == UInt32(SHA256.byteCount), "OpenSSL HMAC-SHA-256 failed")
        return code
    }
}
