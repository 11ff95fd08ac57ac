internal import COpenSSL

/// An X.509 certificate, owned by this object: how a recipient's public key travels.
///
/// dcmveil needs only the key and a name from it (CMS recipients are identified by the
/// certificate's issuer and serial number); it does not validate chains or dates.
package final class Certificate: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The certificate in DER.
    package let derEncoded: [UInt8]
    /// The subject's public key.
    package let publicKey: PublicKey

    /// Takes ownership of `pointer`.
    private init(owning pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            derEncoded = try encodeDER { i2d_X509(pointer, $0) }
            guard let key = X509_get_pubkey(pointer) else {
                throw CryptoError(.unsupportedKeyType, "the certificate's public key cannot be decoded")
            }
            publicKey = try PublicKey(owning: key)
        } catch {
            X509_free(pointer)
            throw error
        }
    }

    deinit { X509_free(pointer) }

    /// Decodes a DER certificate.
    package convenience init(der: [UInt8]) throws {
        beginOpenSSLOperation()
        let certificate = withNonNullPointer(to: der) { base, count in
            var cursor: UnsafePointer<UInt8>? = base
            return d2i_X509(nil, &cursor, count)
        }
        guard let certificate else { throw CryptoError(.malformedInput, "not a DER X.509 certificate") }
        try self.init(owning: certificate)
    }

    /// Decodes the first certificate of a PEM text.
    package convenience init(pem: String) throws {
        beginOpenSSLOperation()
        let bio = try MemoryBIO(Array(pem.utf8))
        guard let certificate = PEM_read_bio_X509(bio.pointer, nil, nil, nil) else {
            throw CryptoError(.malformedInput, "no PEM X.509 certificate that decodes")
        }
        try self.init(owning: certificate)
    }

    /// Reads a certificate file, PEM (possibly after explanatory text, as `openssl x509 -text` writes)
    /// or DER. The error says which of the two the file looked like and what is wrong with it.
    package convenience init(contentsOf path: String) throws {
        let bytes = try readFile(path, what: "certificate")
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN ") else {
            guard bytes.first == 0x30 else {  // a DER certificate starts with an ASN.1 SEQUENCE
                throw CryptoError(.malformedInput, "neither a PEM certificate (no -----BEGIN CERTIFICATE----- line) nor DER (no ASN.1 SEQUENCE at the start)")
            }
            do {
                try self.init(der: bytes)
            } catch let error as CryptoError {
                throw CryptoError(.malformedInput, "a DER (binary) file that is not a valid X.509 certificate", error.openSSLErrors)
            }
            return
        }
        // PEM: name what the file holds when it is not a certificate (a key given as --cert, say).
        let labels = text.components(separatedBy: "-----BEGIN ").dropFirst().compactMap { $0.components(separatedBy: "-----").first }
        guard labels.contains(where: { $0.hasSuffix("CERTIFICATE") }) else {
            throw CryptoError(.malformedInput, "a PEM file without a certificate (it holds: \(labels.joined(separator: ", ")))")
        }
        try self.init(pem: text)
    }

    /// A self-signed certificate (X.509 v3, SHA-256) for `key`, valid from now for `validityDays`.
    ///
    /// Marked as an end-entity certificate for key and data encipherment: what a CMS recipient
    /// and dcmveil's key wrapping need, nothing more.
    package static func selfSigned(key: PrivateKey, commonName: String, validityDays: Int = 3650) throws -> Certificate {
        guard (1...36500).contains(validityDays) else {
            throw CryptoError(.invalidArgument, "validity of \(validityDays) days is outside 1...36500")
        }
        beginOpenSSLOperation()
        guard let x509 = X509_new() else { throw CryptoError(.internalFailure, "cannot allocate a certificate") }
        defer { X509_free(x509) }

        try check(X509_set_version(x509, Int(X509_VERSION_3)), .internalFailure, "cannot set the certificate version")
        try setRandomSerialNumber(x509)
        guard X509_gmtime_adj(X509_getm_notBefore(x509), 0) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), Int32(validityDays), 0, nil) != nil
        else { throw CryptoError(.internalFailure, "cannot set the certificate's validity") }

        let name = X509_get_subject_name(x509)
        try check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0),
                  .invalidArgument, "the common name \"\(commonName)\" is not acceptable")
        try check(X509_set_issuer_name(x509, name), .internalFailure, "cannot set the issuer")
        try check(X509_set_pubkey(x509, key.pointer), .internalFailure, "cannot set the public key")

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        for (nid, value) in [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment,dataEncipherment"),
            (NID_subject_key_identifier, "hash"),
        ] {
            guard let extensionValue = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw CryptoError(.internalFailure, "cannot build the certificate extension \(value)")
            }
            defer { X509_EXTENSION_free(extensionValue) }
            try check(X509_add_ext(x509, extensionValue, -1), .internalFailure, "cannot add the certificate extension \(value)")
        }
        try check(X509_sign(x509, key.pointer, EVP_sha256()), .internalFailure, "cannot sign the certificate")

        return try Certificate(der: try encodeDER { i2d_X509(x509, $0) })
    }

    /// The certificate as PEM ("CERTIFICATE").
    package var pemEncoded: String { VeilCrypto.pemEncoded(derEncoded, label: "CERTIFICATE") }

    /// The subject's distinguished name in RFC 2253 form, e.g. `CN=dcmveil recipient`.
    package var subject: String {
        guard let bio = try? MemoryBIO(), X509_NAME_print_ex(bio.pointer, X509_get_subject_name(pointer), 0, copenssl_name_flags_rfc2253) >= 0
        else { return "" }
        return String(decoding: bio.contents(), as: UTF8.self)
    }
}

/// 128 random bits, positive (RFC 5280 wants serials unique and at most 20 bytes).
private func setRandomSerialNumber(_ x509: OpaquePointer) throws {
    var bytes = SecureRandom.bytes(16)
    bytes[0] &= 0x7F
    guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
        throw CryptoError(.internalFailure, "cannot make a serial number")
    }
    defer { BN_free(number) }
    guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)) != nil else {
        throw CryptoError(.internalFailure, "cannot set the serial number")
    }
}
