internal import COpenSSL

/// RSA-OAEP (RFC 8017) with SHA-256 and MGF1-SHA-256, no label: wraps the per-instance content key
/// and parameters for the holder of the private key.
///
/// Interoperates with `openssl pkeyutl -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
/// -pkeyopt rsa_mgf1_md:sha256`.
package enum RSAOAEP {
    /// The longest plaintext `key` can encrypt: modulus bytes − 2·32 − 2 (190 bytes for RSA-2048).
    package static func maximumPlaintextByteCount(for key: PublicKey) -> Int {
        key.bits / 8 - 2 * SHA256.byteCount - 2
    }

    /// Encrypts `plaintext` (randomised: equal inputs give different ciphertexts) for `key`.
    /// The ciphertext has the modulus' size (256 bytes for RSA-2048).
    package static func encrypt(_ plaintext: [UInt8], for key: PublicKey) throws -> [UInt8] {
        guard key.isRSA else { throw CryptoError(.unsupportedKeyType, "RSA-OAEP needs an RSA key") }
        let limit = maximumPlaintextByteCount(for: key)
        guard plaintext.count <= limit else {
            throw CryptoError(.invalidArgument, "RSA-OAEP plaintext of \(plaintext.count) bytes exceeds \(limit) for a \(key.bits)-bit key")
        }
        let context = try OAEPContext(key.pointer, encrypting: true)
        return try context.run(plaintext, .internalFailure, "RSA-OAEP encryption failed")
    }

    /// Decrypts `ciphertext` with `key`.
    ///
    /// Throws `.malformedInput` if the ciphertext does not have the modulus' size (truncated), and
    /// `.wrongKey` if OAEP decoding fails: the ciphertext was made for another key or altered (OAEP
    /// deliberately cannot tell which).
    package static func decrypt(_ ciphertext: [UInt8], with key: PrivateKey) throws -> [UInt8] {
        guard key.publicKey.isRSA else { throw CryptoError(.unsupportedKeyType, "RSA-OAEP needs an RSA key") }
        let expected = key.publicKey.bits / 8
        guard ciphertext.count == expected else {
            throw CryptoError(.malformedInput,
                "RSA-OAEP ciphertext is \(ciphertext.count) bytes; a \(key.publicKey.bits)-bit key expects \(expected)")
        }
        let context = try OAEPContext(key.pointer, encrypting: false)
        return try context.run(ciphertext, .wrongKey,
            "RSA-OAEP decryption failed: the ciphertext was made for another key, or it was altered")
    }
}

/// An EVP_PKEY context configured for OAEP with SHA-256 and MGF1-SHA-256.
private final class OAEPContext {
    private let pointer: OpaquePointer
    private let encrypting: Bool

    init(_ key: OpaquePointer, encrypting: Bool) throws {
        beginOpenSSLOperation()
        guard let pointer = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            throw CryptoError(.internalFailure, "cannot allocate an RSA context")
        }
        self.pointer = pointer
        self.encrypting = encrypting
        try check(encrypting ? EVP_PKEY_encrypt_init(pointer) : EVP_PKEY_decrypt_init(pointer),
                  .unsupportedKeyType, "the key cannot be used for RSA encryption")
        try check(EVP_PKEY_CTX_set_rsa_padding(pointer, RSA_PKCS1_OAEP_PADDING), .internalFailure, "cannot select OAEP padding")
        try check(EVP_PKEY_CTX_set_rsa_oaep_md(pointer, EVP_sha256()), .internalFailure, "cannot select SHA-256 for OAEP")
        try check(EVP_PKEY_CTX_set_rsa_mgf1_md(pointer, EVP_sha256()), .internalFailure, "cannot select MGF1-SHA-256")
    }

    deinit { EVP_PKEY_CTX_free(pointer) }

    func run(_ input: [UInt8], _ code: CryptoError.Code, _ message: String) throws -> [UInt8] {
        let operation = encrypting ? EVP_PKEY_encrypt : EVP_PKEY_decrypt
        var length = 0
        return try withNonNullPointer(to: input) { base, count in
            try check(operation(pointer, nil, &length, base, count), code, message)
            var output = [UInt8](repeating: 0, count: length)
            try check(operation(pointer, &output, &length, base, count), code, message)
            return Array(output.prefix(length))
        }
    }
}
