internal import COpenSSL

/// CMS EnvelopedData (RFC 5652) with RSA key transport: the container of the DICOM Encrypted
/// Attributes Sequence (PS3.15 §E.1.2, (0400,0520) Encrypted Content).
///
/// Encryption uses AES-256-CBC and RSA PKCS#1 v1.5 key transport, the combination GDCM's `gdcmanon`
/// and `openssl cms` produce and accept. Decryption also accepts AES-128/192-CBC and 3DES, which
/// PS3.15 requires a re-identifier to support. CBC content is not authenticated; dcmveil's pixel
/// integrity rests on AES-GCM and SHA-256 elsewhere, not on this container.
package enum CMSEnvelope {
    /// DER EnvelopedData holding `content` for the holder of `recipient`'s private key.
    package static func encrypt(_ content: [UInt8], to recipient: Certificate) throws -> [UInt8] {
        guard recipient.publicKey.isRSA else {
            throw CryptoError(.unsupportedKeyType, "CMS key transport needs an RSA recipient certificate")
        }
        beginOpenSSLOperation()
        let flags = UInt32(CMS_BINARY)
        guard let cms = CMS_encrypt(nil, nil, EVP_aes_256_cbc(), flags | UInt32(CMS_PARTIAL)) else {
            throw CryptoError(.internalFailure, "cannot create CMS EnvelopedData")
        }
        defer { CMS_ContentInfo_free(cms) }
        guard CMS_add1_recipient_cert(cms, recipient.pointer, flags) != nil else {
            throw CryptoError(.unsupportedKeyType, "the certificate cannot be a CMS recipient")
        }
        let input = try MemoryBIO(content)
        try check(CMS_final(cms, input.pointer, nil, flags), .internalFailure, "CMS encryption failed")
        return try encodeDER { i2d_CMS_ContentInfo(cms, $0) }
    }

    /// The content of DER EnvelopedData `der`, decrypted with `key`.
    ///
    /// With `certificate`, the recipient entry for that certificate is used (and the certificate must
    /// belong to `key`); without, each RSA recipient entry is tried with the key.
    ///
    /// Throws `.malformedInput` for data that is not (intact) EnvelopedData and `.wrongKey` when no
    /// recipient entry opens with `key`.
    package static func decrypt(_ der: [UInt8], with key: PrivateKey, certificate: Certificate? = nil) throws -> [UInt8] {
        if let certificate, !key.matches(certificate) {
            throw CryptoError(.wrongKey, "the certificate does not belong to the private key")
        }
        beginOpenSSLOperation()
        let parsed = withNonNullPointer(to: der) { base, count in
            var cursor: UnsafePointer<UInt8>? = base
            return d2i_CMS_ContentInfo(nil, &cursor, count)
        }
        guard let cms = parsed else { throw CryptoError(.malformedInput, "not DER CMS data") }
        defer { CMS_ContentInfo_free(cms) }
        guard OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_enveloped else {
            throw CryptoError(.malformedInput, "the CMS data is not EnvelopedData")
        }
        // OpenSSL fails without saying why when no entry names the certificate; say it.
        if let certificate, !hasRecipientEntry(cms, for: certificate) {
            throw CryptoError(.wrongKey, "the CMS EnvelopedData has no recipient entry for \(certificate.subject)")
        }

        // Without a certificate OpenSSL would, against Bleichenbacher-style oracles, go on with a
        // random key when no recipient entry opens, and could then "succeed" with garbage. A
        // re-identifier reading local files is no online oracle, so ask for the plain failure.
        let flags = UInt32(CMS_BINARY) | (certificate == nil ? UInt32(CMS_DEBUG_DECRYPT) : 0)
        let output = try MemoryBIO()
        guard CMS_decrypt(cms, key.pointer, certificate?.pointer, nil, output.pointer, flags) == 1 else {
            let queue = OpenSSLErrorEntry.drainQueue()
            throw queue.contains(where: \.isKeyMismatch)
                ? CryptoError(.wrongKey, "no recipient of the CMS EnvelopedData can be opened with this private key", queue)
                : CryptoError(.malformedInput, "the CMS EnvelopedData cannot be decrypted: its content is damaged", queue)
        }
        return output.contents()
    }
}

/// Whether one of the key-transport recipient entries of `cms` names `certificate`.
private func hasRecipientEntry(_ cms: OpaquePointer, for certificate: Certificate) -> Bool {
    guard let entries = CMS_get0_RecipientInfos(cms) else { return false }
    return (0..<OPENSSL_sk_num(entries)).contains { index in
        let entry = OpaquePointer(OPENSSL_sk_value(entries, index))
        return CMS_RecipientInfo_type(entry) == CMS_RECIPINFO_TRANS
            && CMS_RecipientInfo_ktri_cert_cmp(entry, certificate.pointer) == 0
    }
}

private extension OpenSSLErrorEntry {
    /// Errors OpenSSL reports when the key does not open any recipient entry.
    var isKeyMismatch: Bool {
        libraryNumber == ERR_LIB_RSA
            || (libraryNumber == ERR_LIB_CMS && [CMS_R_NO_MATCHING_RECIPIENT, CMS_R_DECRYPT_ERROR].contains(reasonNumber))
    }
}
