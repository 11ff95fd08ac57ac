internal import COpenSSL

/// A public key, owned by this object, known by its fingerprint.
///
/// The fingerprint is the SHA-256 of the DER SubjectPublicKeyInfo, the same value as
/// `openssl pkey -pubout -outform DER | sha256sum`, so an administrator can check it by hand.
package final class PublicKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The DER SubjectPublicKeyInfo (RFC 5280), the key's canonical serialisation.
    package let derEncoded: [UInt8]

    /// Decodes a DER SubjectPublicKeyInfo.
    package init(spki der: [UInt8]) throws {
        beginOpenSSLOperation()
        let key = withNonNullPointer(to: der) { base, count in
            var cursor: UnsafePointer<UInt8>? = base
            return d2i_PUBKEY(nil, &cursor, count)
        }
        guard let key else { throw CryptoError(.malformedInput, "not a DER SubjectPublicKeyInfo") }
        pointer = key
        derEncoded = der
    }

    /// Takes ownership of `pointer`.
    init(owning pointer: OpaquePointer) throws {
        self.pointer = pointer
        derEncoded = try encodeDER { i2d_PUBKEY(pointer, $0) }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// SHA-256 of the DER SubjectPublicKeyInfo.
    package var fingerprint: [UInt8] { SHA256.hash(derEncoded) }

    /// The first 8 bytes of the fingerprint in lower-case hex: enough to tell keys apart in a QR
    /// code, a manifest or a log line.
    package var shortFingerprint: String {
        fingerprint.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The key size in bits (the modulus size for RSA).
    package var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// Whether this is an RSA key (not RSA-PSS, which cannot encrypt).
    var isRSA: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
