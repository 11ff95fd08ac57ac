import Testing
import VeilCrypto

@Suite struct DigestTests {
    @Test("SHA-256 known answers (FIPS 180-4 examples)", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(message: String, digest: String) {
        #expect(SHA256.hash(Array(message.utf8)).hex == digest)
    }

    @Test func incrementalHashingEqualsOneShot() {
        let message = SecureRandom.bytes(100_003)
        let hasher = SHA256.Hasher()
        for start in stride(from: 0, to: message.count, by: 4096) {
            hasher.update(Array(message[start..<min(start + 4096, message.count)]))
        }
        #expect(hasher.finalize() == SHA256.hash(message))
        // finalize() resets: the hasher starts a new message.
        hasher.update(Array("abc".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test("HMAC-SHA-256 known answers (RFC 4231 cases 1 and 2)", arguments: [
        ([UInt8](repeating: 0x0b, count: 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    ])
    func hmac(key: [UInt8], message: String, code: String) {
        #expect(HMACSHA256.authenticate(Array(message.utf8), key: key).hex == code)
    }

    @Test func hmacAcceptsEmptyKeyAndMessage() {
        #expect(HMACSHA256.authenticate([], key: []).hex == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("HKDF-SHA-256 known answers (RFC 5869 cases 1 and 3)", arguments: [
        ([UInt8](repeating: 0x0b, count: 22), [UInt8](hex: "000102030405060708090a0b0c"), [UInt8](hex: "f0f1f2f3f4f5f6f7f8f9"),
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        ([UInt8](repeating: 0x0b, count: 22), [], [],
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ])
    func hkdf(ikm: [UInt8], salt: [UInt8], info: [UInt8], okm: String) throws {
        #expect(try HKDF.deriveKey(from: ikm, salt: salt, info: info, outputByteCount: 42).hex == okm)
    }

    @Test func hkdfRejectsImpossibleLengths() {
        for count in [0, HKDF.maximumOutputByteCount + 1] {
            let error = #expect(throws: CryptoError.self) {
                try HKDF.deriveKey(from: [1, 2, 3], info: [], outputByteCount: count)
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func randomBytesDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
    }
}
