internal import COpenSSL

/// HKDF with SHA-256 (RFC 5869): turns one secret into independent keys and keystreams, each
/// named by its `info`, so that one content key can drive encryption, scrambling and so on without
/// reusing key material.
package enum HKDF {
    /// The most HKDF-SHA-256 can produce from one extract: 255 blocks of 32 bytes.
    package static let maximumOutputByteCount = 255 * SHA256.byteCount

    /// Extracts from `inputKeyMaterial` (with `salt`, which may be empty) and expands to
    /// `outputByteCount` bytes bound to `info`.
    ///
    /// Throws `CryptoError.Code.invalidArgument` if more than `maximumOutputByteCount` bytes are asked for.
    package static func deriveKey(
        from inputKeyMaterial: [UInt8], salt: [UInt8] = [], info: [UInt8], outputByteCount: Int
    ) throws -> [UInt8] {
        guard (1...maximumOutputByteCount).contains(outputByteCount) else {
            throw CryptoError(.invalidArgument,
                "HKDF-SHA-256 output of \(outputByteCount) bytes is outside 1...\(maximumOutputByteCount)")
        }
        beginOpenSSLOperation()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw CryptoError(.internalFailure, "OpenSSL has no HKDF")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_derive_init(context), .internalFailure, "HKDF initialisation failed")
        try check(EVP_PKEY_CTX_set_hkdf_md(context, EVP_sha256()), .internalFailure, "HKDF digest selection failed")
        try withNonNullPointer(to: inputKeyMaterial) { base, count in
            try check(EVP_PKEY_CTX_set1_hkdf_key(context, base, Int32(count)), .internalFailure, "HKDF key setup failed")
        }
        if !salt.isEmpty {
            try check(EVP_PKEY_CTX_set1_hkdf_salt(context, salt, Int32(salt.count)), .internalFailure, "HKDF salt setup failed")
        }
        if !info.isEmpty {
            try check(EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)), .internalFailure, "HKDF info setup failed")
        }
        var output = [UInt8](repeating: 0, count: outputByteCount)
        var length = outputByteCount
        try check(EVP_PKEY_derive(context, &output, &length), .internalFailure, "HKDF derivation failed")
        return output
    }
}
