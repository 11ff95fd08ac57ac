internal import COpenSSL

/// AES in Galois/Counter Mode (NIST SP 800-38D): authenticated encryption with associated data.
///
/// The sealed form is `nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`, self-contained, so callers
/// store one byte string. The key length picks AES-128, -192 or -256; dcmveil uses 32-byte keys.
/// The tag is checked by OpenSSL in constant time.
package struct AESGCM {
    package static let nonceByteCount = 12
    package static let tagByteCount = 16

    /// Encrypts `plaintext` under `key` with a fresh random nonce, authenticating `aad` too.
    package static func seal(_ plaintext: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws -> [UInt8] {
        try seal(plaintext, key: key, nonce: SecureRandom.bytes(nonceByteCount), authenticating: aad)
    }

    /// Encrypts with a caller-chosen nonce. A nonce must never repeat under one key (GCM loses
    /// both confidentiality and authenticity if it does); this exists for known-answer tests and
    /// for callers that derive unique nonces deliberately.
    package static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        guard nonce.count == nonceByteCount else {
            throw CryptoError(.invalidArgument, "AES-GCM nonce must be \(nonceByteCount) bytes, not \(nonce.count)")
        }
        let context = try CipherContext(key: key, nonce: nonce, encrypting: true)
        try context.authenticate(aad)
        let ciphertext = try context.process(plaintext)
        try context.finish()
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        try check(EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag),
                  .internalFailure, "AES-GCM tag retrieval failed")
        return nonce + ciphertext + tag
    }

    /// Decrypts `sealed` (`nonce ‖ ciphertext ‖ tag`) and checks that neither it nor `aad` changed.
    ///
    /// Throws `.malformedInput` if it is too short to be sealed data and `.authenticationFailed`
    /// if the tag does not verify (altered data or associated data, or another key).
    package static func open(_ sealed: [UInt8], key: [UInt8], authenticating aad: [UInt8] = []) throws -> [UInt8] {
        guard sealed.count >= nonceByteCount + tagByteCount else {
            throw CryptoError(.malformedInput,
                "AES-GCM sealed data is \(sealed.count) bytes, shorter than nonce and tag (\(nonceByteCount + tagByteCount))")
        }
        let nonce = Array(sealed.prefix(nonceByteCount))
        var tag = Array(sealed.suffix(tagByteCount))
        let ciphertext = Array(sealed[nonceByteCount..<(sealed.count - tagByteCount)])

        let context = try CipherContext(key: key, nonce: nonce, encrypting: false)
        try context.authenticate(aad)
        let plaintext = try context.process(ciphertext)
        try check(EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag),
                  .internalFailure, "AES-GCM tag setup failed")
        try context.finish()
        return plaintext
    }
}

/// An EVP cipher context set up for AES-GCM, freed when it goes out of scope.
private final class CipherContext {
    let pointer: OpaquePointer
    private let encrypting: Bool

    init(key: [UInt8], nonce: [UInt8], encrypting: Bool) throws {
        let cipher: OpaquePointer?
        switch key.count {
        case 16: cipher = EVP_aes_128_gcm()
        case 24: cipher = EVP_aes_192_gcm()
        case 32: cipher = EVP_aes_256_gcm()
        default: throw CryptoError(.invalidArgument, "AES key must be 16, 24 or 32 bytes, not \(key.count)")
        }
        beginOpenSSLOperation()
        guard let pointer = EVP_CIPHER_CTX_new() else { throw CryptoError(.internalFailure, "cannot allocate a cipher context") }
        self.pointer = pointer
        self.encrypting = encrypting
        let result = encrypting
            ? EVP_EncryptInit_ex2(pointer, cipher, key, nonce, nil)
            : EVP_DecryptInit_ex2(pointer, cipher, key, nonce, nil)
        try check(result, .internalFailure, "AES-GCM initialisation failed")
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    /// Feeds associated data: authenticated, not encrypted.
    func authenticate(_ aad: [UInt8]) throws {
        for chunk in aad.chunks {
            var length: Int32 = 0
            try check(update(nil, &length, chunk), .internalFailure, "AES-GCM associated data failed")
        }
    }

    /// Encrypts or decrypts `input`; GCM is a stream mode, so the output has the input's length.
    func process(_ input: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: input.count)
        var offset = 0
        for chunk in input.chunks {
            var length: Int32 = 0
            try output.withUnsafeMutableBufferPointer { buffer in
                try check(update(buffer.baseAddress! + offset, &length, chunk), .internalFailure, "AES-GCM update failed")
            }
            offset += Int(length)
        }
        return output
    }

    /// Completes the operation; when decrypting, this is where the tag is checked.
    func finish() throws {
        var trailing = [UInt8](repeating: 0, count: 16)  // GCM writes nothing here, but OpenSSL wants a buffer
        var length: Int32 = 0
        if encrypting {
            try check(EVP_EncryptFinal_ex(pointer, &trailing, &length), .internalFailure, "AES-GCM finalisation failed")
        } else {
            try check(EVP_DecryptFinal_ex(pointer, &trailing, &length), .authenticationFailed,
                      "AES-GCM authentication failed: the data or its associated data were altered, or the key is wrong")
        }
    }

    private func update(_ output: UnsafeMutablePointer<UInt8>?, _ length: inout Int32, _ input: ArraySlice<UInt8>) -> Int32 {
        input.withUnsafeBufferPointer { buffer in
            encrypting
                ? EVP_EncryptUpdate(pointer, output, &length, buffer.baseAddress, Int32(buffer.count))
                : EVP_DecryptUpdate(pointer, output, &length, buffer.baseAddress, Int32(buffer.count))
        }
    }
}

private extension Array where Element == UInt8 {
    /// Slices no longer than OpenSSL's `int` lengths allow (1 GiB each; none for an empty array).
    var chunks: [ArraySlice<UInt8>] {
        stride(from: 0, to: count, by: 1 << 30).map { self[$0..<Swift.min($0 + (1 << 30), count)] }
    }
}
