import Testing
import VeilCrypto

@Suite struct RSAOAEPTests {
    @Test(arguments: [0, 1, 32, 190])
    func roundTrip(length: Int) throws {
        let key = try PrivateKey.generateRSA()
        let plaintext = SecureRandom.bytes(length)
        let ciphertext = try RSAOAEP.encrypt(plaintext, for: key.publicKey)
        #expect(ciphertext.count == 256)
        #expect(try RSAOAEP.decrypt(ciphertext, with: key) == plaintext)
        #expect(try RSAOAEP.encrypt(plaintext, for: key.publicKey) != ciphertext)  // randomised padding
    }

    @Test func decryptsWhatTheOpensslCLIEncrypted() throws {
        let directory = try TemporaryDirectory()
        let keyPath = directory.file("key.pem")
        try runChecked("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath])
        try runChecked("openssl", ["pkey", "-in", keyPath, "-pubout", "-out", directory.file("pub.pem")])
        let contentKey = SecureRandom.bytes(32) + Array("params".utf8)
        let ciphertext = try runChecked("openssl", [
            "pkeyutl", "-encrypt", "-pubin", "-inkey", directory.file("pub.pem"),
            "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
        ], input: contentKey)
        #expect(try RSAOAEP.decrypt(ciphertext, with: PrivateKey(contentsOf: keyPath)) == contentKey)
    }

    @Test func opensslCLIDecryptsWhatWeEncrypted() throws {
        let directory = try TemporaryDirectory()
        let key = try PrivateKey.generateRSA()
        let keyPath = try directory.write(Array(try key.pemEncoded().utf8), to: "key.pem")
        let message = Array("content key and parameters".utf8)
        let ciphertext = try RSAOAEP.encrypt(message, for: key.publicKey)
        let decrypted = try runChecked("openssl", [
            "pkeyutl", "-decrypt", "-inkey", keyPath,
            "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
        ], input: ciphertext)
        #expect(decrypted == message)
    }

    @Test func failuresAreTyped() throws {
        let key = try PrivateKey.generateRSA(), other = try PrivateKey.generateRSA()
        var ciphertext = try RSAOAEP.encrypt([1, 2, 3], for: key.publicKey)

        let wrongKey = #expect(throws: CryptoError.self) { try RSAOAEP.decrypt(ciphertext, with: other) }
        #expect(wrongKey?.code == .wrongKey)
        let truncated = #expect(throws: CryptoError.self) { try RSAOAEP.decrypt(Array(ciphertext.dropLast()), with: key) }
        #expect(truncated?.code == .malformedInput)
        ciphertext[100] ^= 0x04
        let tampered = #expect(throws: CryptoError.self) { try RSAOAEP.decrypt(ciphertext, with: key) }
        #expect(tampered?.code == .wrongKey)
        let tooLong = #expect(throws: CryptoError.self) { try RSAOAEP.encrypt(SecureRandom.bytes(191), for: key.publicKey) }
        #expect(tooLong?.code == .invalidArgument)
    }

    @Test func nonRSAKeysAreUnsupported() throws {
        let directory = try TemporaryDirectory()
        try runChecked("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", directory.file("ec.pem")])
        let ec = try PrivateKey(contentsOf: directory.file("ec.pem"))
        let error = #expect(throws: CryptoError.self) { try RSAOAEP.encrypt([1], for: ec.publicKey) }
        #expect(error?.code == .unsupportedKeyType)
    }
}
