internal import COpenSSL

/// SHA-256 (FIPS 180-4), one-shot or incremental.
package enum SHA256 {
    /// Size of a digest in bytes.
    package static let byteCount = 32

    /// The SHA-256 digest of `bytes`.
    package static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Hashes data that arrives in pieces (a file read in chunks, a frame row by row) without
    /// holding all of it in memory.
    ///
    /// `finalize()` returns the digest and resets the hasher to hash a new message.
    package final class Hasher {
        private let context: OpaquePointer

        package init() {
            // Allocation failure of a few hundred bytes: nothing sensible to recover.
            guard let context = EVP_MD_CTX_new() else { preconditionFailure("OpenSSL cannot allocate a digest context") }
            self.context = context
            reset()
        }

        deinit { EVP_MD_CTX_free(context) }

        /// Adds `bytes` to the message.
        package func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// Adds the bytes of `buffer` to the message.
        package func update(_ buffer: UnsafeRawBufferPointer) {
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
            precondition(EVP_DigestUpdate(context, base, buffer.count) == 1, "OpenSSL SHA-256 update failed")
        }

        /// The digest of everything added since creation or the last `finalize()`.
        package func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
            precondition(EVP_DigestFinal_ex(context, &digest, nil) == 1, "OpenSSL SHA-256 finalisation failed")
            reset()
            return digest
        }

        private func reset() {
            precondition(EVP_DigestInit_ex2(context, EVP_sha256(), nil) == 1, "OpenSSL has no SHA-256")
        }
    }
}
