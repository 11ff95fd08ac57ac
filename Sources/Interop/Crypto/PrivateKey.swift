internal import COpenSSL
import Foundation
import VeilFileSystem

/// A private key (RSA for everything dcmveil does with it), owned by this object.
///
/// Loads what the `openssl` tool and other software write: PEM or DER, PKCS#1 ("RSA PRIVATE KEY")
/// or PKCS#8, plain or encrypted with a passphrase. OpenSSL never prompts: an encrypted key without a
/// passphrase fails with `.passphraseRequired`, a wrong one with `.wrongPassphrase`.
///
/// Immutable after creation; OpenSSL allows concurrent use of one key by several threads.
package final class PrivateKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The public half, as a separate object holding no private material.
    package let publicKey: PublicKey

    /// Takes ownership of `pointer`.
    private init(owning pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            publicKey = try PublicKey(spki: try encodeDER { i2d_PUBKEY(pointer, $0) })
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Decodes a PEM-encoded key.
    package convenience init(pem: String, passphrase: String? = nil) throws {
        try self.init(decoding: Array(pem.utf8), format: "PEM", passphrase: passphrase)
    }

    /// Decodes a DER-encoded key (PKCS#1 or PKCS#8; an encrypted PKCS#8 needs `passphrase`).
    package convenience init(der: [UInt8], passphrase: String? = nil) throws {
        try self.init(decoding: der, format: "DER", passphrase: passphrase)
    }

    /// Reads a key file in any of the supported forms.
    package convenience init(contentsOf path: String, passphrase: String? = nil) throws {
        try self.init(decoding: readFile(path, what: "private key"), format: nil, passphrase: passphrase)
    }

    private convenience init(decoding bytes: [UInt8], format: String?, passphrase: String?) throws {
        beginOpenSSLOperation()
        var passphraseRequested: Int32 = 0
        let key = withNonNullPointer(to: bytes) { base, count in
            copenssl_decode_private_key(base, count, format, passphrase, &passphraseRequested)
        }
        guard let key else {
            switch (passphraseRequested != 0, passphrase) {
            case (true, nil): throw CryptoError(.passphraseRequired, "the private key is encrypted and no passphrase was given")
            case (true, _?): throw CryptoError(.wrongPassphrase, "the passphrase does not decrypt the private key")
            case (false, _): throw CryptoError(.malformedInput, "not a private key in \(format ?? "PEM or DER") form")
            }
        }
        try self.init(owning: key)
    }

    /// A new RSA key pair of `bits` bits (public exponent 65537).
    package static func generateRSA(bits: Int = 2048) throws -> PrivateKey {
        guard (2048...16384).contains(bits) else {
            throw CryptoError(.invalidArgument, "RSA key size \(bits) is outside 2048...16384 bits")
        }
        beginOpenSSLOperation()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else {
            throw CryptoError(.internalFailure, "OpenSSL has no RSA")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_keygen_init(context), .internalFailure, "RSA key generation setup failed")
        try check(EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)), .internalFailure, "RSA key size rejected")
        var key: OpaquePointer?
        try check(EVP_PKEY_generate(context, &key), .internalFailure, "RSA key generation failed")
        return try PrivateKey(owning: key!)
    }

    /// The key as PKCS#8 PEM; with a passphrase, encrypted (PBES2, AES-256-CBC, PBKDF2).
    package func pemEncoded(passphrase: String? = nil) throws -> String {
        beginOpenSSLOperation()
        let bio = try MemoryBIO()
        let result: Int32
        if let passphrase {
            var secret = Array(passphrase.utf8CString.dropLast())
            defer { secret.withUnsafeMutableBytes { _ = memset($0.baseAddress!, 0, $0.count) } }
            result = PEM_write_bio_PKCS8PrivateKey(bio.pointer, pointer, EVP_aes_256_cbc(), &secret, Int32(secret.count), nil, nil)
        } else {
            result = PEM_write_bio_PKCS8PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil)
        }
        try check(result, .internalFailure, "cannot encode the private key as PEM")
        return String(decoding: bio.contents(), as: UTF8.self)
    }

    /// Whether `certificate` carries this key's public half.
    package func matches(_ certificate: Certificate) -> Bool {
        X509_check_private_key(certificate.pointer, pointer) == 1
    }
}

/// Reads a whole file for the key and certificate initialisers, with an error that names it.
func readFile(_ path: String, what: String) throws -> [UInt8] {
    do {
        return try FileSystem.read(path, limit: 1 << 20)  // keys and certificates are a few KB
    } catch {
        throw CryptoError(.unreadableFile, "cannot read the \(what) file \(path): \(error.reason)")
    }
}
