import Testing
import VeilCrypto

/// The Encrypted Attributes Sequence container must interoperate with `openssl cms` (and so GDCM).
@Suite struct CMSEnvelopeTests {
    struct Recipient {
        let directory: TemporaryDirectory
        let key: PrivateKey
        let certificate: Certificate
        var keyPath: String { directory.file("key.pem") }
        var certificatePath: String { directory.file("cert.pem") }

        init() throws {
            directory = try TemporaryDirectory()
            key = try PrivateKey.generateRSA()
            certificate = try Certificate.selfSigned(key: key, commonName: "re-identifier")
            _ = try directory.write(Array(try key.pemEncoded().utf8), to: "key.pem")
            _ = try directory.write(Array(certificate.pemEncoded.utf8), to: "cert.pem")
        }
    }

    static let attributes = Array("(0010,0010) PN Doe^Jane; (0010,0020) LO 5628731".utf8) + SecureRandom.bytes(1000)

    @Test func roundTrip() throws {
        let recipient = try Recipient()
        let der = try CMSEnvelope.encrypt(Self.attributes, to: recipient.certificate)
        #expect(try CMSEnvelope.decrypt(der, with: recipient.key) == Self.attributes)
        #expect(try CMSEnvelope.decrypt(der, with: recipient.key, certificate: recipient.certificate) == Self.attributes)
        #expect(try CMSEnvelope.decrypt(try CMSEnvelope.encrypt([], to: recipient.certificate), with: recipient.key).isEmpty)
    }

    @Test func opensslDecryptsOurs() throws {
        let recipient = try Recipient()
        let der = try CMSEnvelope.encrypt(Self.attributes, to: recipient.certificate)
        let path = try recipient.directory.write(der, to: "ours.der")
        let structure = String(decoding: try runChecked("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", path]), as: UTF8.self)
        #expect(structure.contains("aes-256-cbc"))
        let decrypted = try runChecked("openssl", ["cms", "-decrypt", "-binary", "-inform", "DER", "-in", path,
                                                   "-inkey", recipient.keyPath, "-recip", recipient.certificatePath])
        #expect(decrypted == Self.attributes)
    }

    @Test(arguments: ["-aes256", "-aes192", "-aes128", "-des3"])
    func weDecryptOpenssls(cipher: String) throws {
        let recipient = try Recipient()
        let der = try runChecked("openssl", ["cms", "-encrypt", "-binary", cipher, "-outform", "DER", recipient.certificatePath],
                                 input: Self.attributes)
        #expect(try CMSEnvelope.decrypt(der, with: recipient.key) == Self.attributes)
        #expect(try CMSEnvelope.decrypt(der, with: recipient.key, certificate: recipient.certificate) == Self.attributes)
    }

    @Test func wrongKeyIsTyped() throws {
        let recipient = try Recipient(), stranger = try Recipient()
        let der = try CMSEnvelope.encrypt(Self.attributes, to: recipient.certificate)
        let withoutCertificate = #expect(throws: CryptoError.self) { try CMSEnvelope.decrypt(der, with: stranger.key) }
        #expect(withoutCertificate?.code == .wrongKey)
        #expect(withoutCertificate?.openSSLErrors.isEmpty == false, "OpenSSL's account is kept")
        let withTheirCertificate = #expect(throws: CryptoError.self) {
            try CMSEnvelope.decrypt(der, with: stranger.key, certificate: stranger.certificate)
        }
        #expect(withTheirCertificate?.code == .wrongKey)
        let mismatched = #expect(throws: CryptoError.self) {
            try CMSEnvelope.decrypt(der, with: stranger.key, certificate: recipient.certificate)
        }
        #expect(mismatched?.code == .wrongKey)
    }

    @Test func damagedInputIsMalformed() throws {
        let recipient = try Recipient()
        let der = try CMSEnvelope.encrypt(Self.attributes, to: recipient.certificate)
        let truncated = #expect(throws: CryptoError.self) { try CMSEnvelope.decrypt(Array(der.prefix(der.count - 40)), with: recipient.key) }
        #expect(truncated?.code == .malformedInput)
        var lastBlock = der
        lastBlock[lastBlock.count - 1] ^= 0xFF  // breaks the CBC padding of the content
        let padding = #expect(throws: CryptoError.self) { try CMSEnvelope.decrypt(lastBlock, with: recipient.key) }
        #expect(padding?.code == .malformedInput)
        let notCMS = #expect(throws: CryptoError.self) { try CMSEnvelope.decrypt(recipient.certificate.derEncoded, with: recipient.key) }
        #expect(notCMS?.code == .malformedInput)
    }
}
