import Foundation
import Testing
import VeilTestSupport
import VeilCrypto

/// Keys and certificates made by the `openssl` tool must load; ours must be readable by it.
@Suite struct KeyTests {
    enum KeyForm: String, CaseIterable {
        case pkcs8PEM, pkcs1PEM, pkcs8DER, pkcs1DER, encryptedPKCS8PEM, encryptedPKCS1PEM, encryptedPKCS8DER
    }

    /// Writes an RSA key with the openssl CLI in `form`; encrypted forms use passphrase "s3cret".
    static func makeKey(_ form: KeyForm, in directory: TemporaryDirectory) throws -> String {
        let pkcs8 = directory.file("key.pk8.pem")
        try runChecked("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8])
        let out = directory.file("key.\(form.rawValue)")
        switch form {
        case .pkcs8PEM: return pkcs8
        case .pkcs1PEM: try runChecked("openssl", ["rsa", "-in", pkcs8, "-traditional", "-out", out])
        case .pkcs8DER: try runChecked("openssl", ["pkey", "-in", pkcs8, "-outform", "DER", "-out", out])
        case .pkcs1DER: try runChecked("openssl", ["rsa", "-in", pkcs8, "-traditional", "-outform", "DER", "-out", out])
        case .encryptedPKCS8PEM:
            try runChecked("openssl", ["pkcs8", "-topk8", "-in", pkcs8, "-v2", "aes-256-cbc", "-passout", "pass:s3cret", "-out", out])
        case .encryptedPKCS1PEM:
            try runChecked("openssl", ["rsa", "-in", pkcs8, "-traditional", "-aes256", "-passout", "pass:s3cret", "-out", out])
        case .encryptedPKCS8DER:
            try runChecked("openssl", ["pkcs8", "-topk8", "-in", pkcs8, "-v2", "aes-256-cbc", "-passout", "pass:s3cret",
                                       "-outform", "DER", "-out", out])
        }
        return out
    }

    static func opensslFingerprint(_ keyPath: String, passphrase: String?) throws -> String {
        let spki = try runChecked("openssl", ["pkey", "-in", keyPath, "-pubout", "-outform", "DER", "-passin", "pass:\(passphrase ?? "")"])
        return SHA256.hash(spki).hex
    }

    @Test(arguments: KeyForm.allCases)
    func opensslKeysLoad(_ form: KeyForm) throws {
        let directory = try TemporaryDirectory()
        let path = try Self.makeKey(form, in: directory)
        let encrypted = form.rawValue.hasPrefix("encrypted")
        let key = try PrivateKey(contentsOf: path, passphrase: encrypted ? "s3cret" : nil)
        #expect(key.publicKey.bits == 2048)
        #expect(key.publicKey.fingerprint.hex == (try Self.opensslFingerprint(path, passphrase: encrypted ? "s3cret" : nil)))
        #expect(key.publicKey.shortFingerprint == String(key.publicKey.fingerprint.hex.prefix(16)))

        if encrypted {
            let wrong = #expect(throws: CryptoError.self) { try PrivateKey(contentsOf: path, passphrase: "guess") }
            #expect(wrong?.code == .wrongPassphrase)
            let missing = #expect(throws: CryptoError.self) { try PrivateKey(contentsOf: path) }
            #expect(missing?.code == .passphraseRequired)
        }
    }

    @Test func pemAndDERInitialisersTakeTheirForm() throws {
        let directory = try TemporaryDirectory()
        let pem = String(decoding: try readBytes(Self.makeKey(.pkcs8PEM, in: directory)), as: UTF8.self)
        let der = try readBytes(Self.makeKey(.pkcs1DER, in: directory))
        #expect(try PrivateKey(pem: pem).publicKey.bits == 2048)
        #expect(try PrivateKey(der: der).publicKey.bits == 2048)
        #expect { try PrivateKey(der: Array(pem.utf8)) } throws: { ($0 as? CryptoError)?.code == .malformedInput }
    }

    @Test func ourPEMRoundTripsAndOpensslReadsIt() throws {
        let directory = try TemporaryDirectory()
        let key = try PrivateKey.generateRSA()
        for passphrase in [nil, "correct horse"] as [String?] {
            let pem = try key.pemEncoded(passphrase: passphrase)
            #expect(pem.hasPrefix(passphrase == nil ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
            #expect(try PrivateKey(pem: pem, passphrase: passphrase).publicKey.fingerprint == key.publicKey.fingerprint)
            let path = try directory.write(Array(pem.utf8), to: "ours.pem")
            #expect(try Self.opensslFingerprint(path, passphrase: passphrase) == key.publicKey.fingerprint.hex)
        }
    }

    @Test(arguments: [
        ("empty", [UInt8]()),
        ("garbage", [UInt8](repeating: 0x42, count: 300)),
    ])
    func garbageIsMalformed(name: String, bytes: [UInt8]) {
        let error = #expect(throws: CryptoError.self) { try PrivateKey(der: bytes) }
        #expect(error?.code == .malformedInput)
    }

    @Test func publicKeyIsNotAPrivateKey() throws {
        let key = try PrivateKey.generateRSA()
        let pem = String(decoding: try runChecked("openssl", ["pkey", "-pubout"], input: Array(try key.pemEncoded().utf8)), as: UTF8.self)
        #expect { try PrivateKey(der: key.publicKey.derEncoded) } throws: { ($0 as? CryptoError)?.code == .malformedInput }
        #expect { try PrivateKey(pem: pem) } throws: { ($0 as? CryptoError)?.code == .malformedInput }
    }

    @Test func truncatedKeyIsMalformed() throws {
        let pem = try PrivateKey.generateRSA().pemEncoded()
        let error = #expect(throws: CryptoError.self) { try PrivateKey(pem: String(pem.prefix(pem.count / 2))) }
        #expect(error?.code == .malformedInput)
    }

    @Test func missingFileIsReported() {
        let error = #expect(throws: CryptoError.self) { try PrivateKey(contentsOf: "/nonexistent/key.pem") }
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.contains("/nonexistent/key.pem") == true)
    }

    @Test func selfSignedCertificateRoundTripsAndOpensslAgrees() throws {
        let directory = try TemporaryDirectory()
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "dcmveil test recipient", validityDays: 30)
        #expect(certificate.subject == "CN=dcmveil test recipient")
        #expect(certificate.publicKey.fingerprint == key.publicKey.fingerprint)
        #expect(key.matches(certificate))
        #expect(!(try PrivateKey.generateRSA()).matches(certificate))

        let pemPath = try directory.write(Array(certificate.pemEncoded.utf8), to: "cert.pem")
        let derPath = try directory.write(certificate.derEncoded, to: "cert.der")
        for path in [pemPath, derPath] {
            #expect(try Certificate(contentsOf: path).derEncoded == certificate.derEncoded)
        }
        let text = String(decoding: try runChecked("openssl", ["x509", "-in", pemPath, "-noout", "-text"]), as: UTF8.self)
        #expect(text.contains("Key Encipherment"))
        #expect(text.contains("CA:FALSE"))
        let opensslKey = try runChecked("openssl", ["x509", "-in", pemPath, "-noout", "-pubkey"])
        #expect(try runChecked("openssl", ["pkey", "-pubin", "-outform", "DER"], input: opensslKey) == key.publicKey.derEncoded)
    }

    @Test func opensslCertificateLoads() throws {
        let directory = try TemporaryDirectory()
        try runChecked("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.file("k.pem"),
                                   "-out", directory.file("c.pem"), "-subj", "/O=Hospital/CN=Radiology", "-days", "2"])
        let certificate = try Certificate(contentsOf: directory.file("c.pem"))
        #expect(certificate.subject == "CN=Radiology,O=Hospital")
        #expect(try PrivateKey(contentsOf: directory.file("k.pem")).matches(certificate))
        #expect(throws: CryptoError.self) { try Certificate(der: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: CryptoError.self) { try Certificate(pem: "no certificate here") }
    }
}
