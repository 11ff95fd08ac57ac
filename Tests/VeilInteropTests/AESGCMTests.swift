import Testing
import VeilCrypto

/// Known answers from the GCM specification's test vectors (McGrew & Viega, as used by NIST CAVP).
struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String, key: String, nonce: String, plaintext: String, aad: String, ciphertext: String, tag: String
    var testDescription: String { name }
}

@Suite struct AESGCMTests {
    static let vectors = [
        GCMVector(name: "AES-128 test case 2", key: "00000000000000000000000000000000", nonce: "000000000000000000000000",
                  plaintext: "00000000000000000000000000000000", aad: "",
                  ciphertext: "0388dace60b6a392f328c2b971b2fe78", tag: "ab6e47d42cec13bdf53a67b21257bddf"),
        GCMVector(name: "AES-256 test case 13 (empty)", key: String(repeating: "0", count: 64), nonce: "000000000000000000000000",
                  plaintext: "", aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(name: "AES-256 test case 14", key: String(repeating: "0", count: 64), nonce: "000000000000000000000000",
                  plaintext: "00000000000000000000000000000000", aad: "",
                  ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(name: "AES-256 test case 16 (with AAD)",
                  key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", nonce: "cafebabefacedbaddecaf888",
                  plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                  aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
                  ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                  tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test(arguments: vectors)
    func knownAnswer(_ vector: GCMVector) throws {
        let key = [UInt8](hex: vector.key), nonce = [UInt8](hex: vector.nonce), aad = [UInt8](hex: vector.aad)
        let sealed = try AESGCM.seal([UInt8](hex: vector.plaintext), key: key, nonce: nonce, authenticating: aad)
        #expect(sealed.hex == vector.nonce + vector.ciphertext + vector.tag)
        #expect(try AESGCM.open(sealed, key: key, authenticating: aad).hex == vector.plaintext)
    }

    @Test(arguments: [0, 1, 15, 16, 17, 100_000])
    func roundTrip(length: Int) throws {
        let key = SecureRandom.bytes(32), plaintext = SecureRandom.bytes(length), aad = Array("frame 512x512".utf8)
        let sealed = try AESGCM.seal(plaintext, key: key, authenticating: aad)
        #expect(sealed.count == AESGCM.nonceByteCount + length + AESGCM.tagByteCount)
        #expect(try AESGCM.open(sealed, key: key, authenticating: aad) == plaintext)
    }

    @Test func freshNonceEachTime() throws {
        let key = SecureRandom.bytes(32)
        #expect(try AESGCM.seal([1, 2, 3], key: key) != AESGCM.seal([1, 2, 3], key: key))
    }

    enum Damage: String, CaseIterable { case ciphertextBit, tagBit, nonceBit, aad, key }

    @Test(arguments: Damage.allCases)
    func tamperingIsDetected(_ damage: Damage) throws {
        let key = SecureRandom.bytes(32), aad = Array("geometry".utf8)
        var sealed = try AESGCM.seal(SecureRandom.bytes(64), key: key, authenticating: aad)
        var openKey = key, openAAD = aad
        switch damage {
        case .ciphertextBit: sealed[20] ^= 0x01
        case .tagBit: sealed[sealed.count - 1] ^= 0x80
        case .nonceBit: sealed[0] ^= 0x01
        case .aad: openAAD[0] ^= 0x01
        case .key: openKey[31] ^= 0x01
        }
        let error = #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: openKey, authenticating: openAAD) }
        #expect(error?.code == .authenticationFailed)
    }

    @Test func truncatedInputIsMalformed() throws {
        let key = SecureRandom.bytes(32)
        let sealed = try AESGCM.seal([], key: key)
        let error = #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.dropLast()), key: key) }
        #expect(error?.code == .malformedInput)
    }

    @Test func badKeyOrNonceLengthIsRejected() {
        #expect { try AESGCM.seal([1], key: SecureRandom.bytes(31)) } throws: { ($0 as? CryptoError)?.code == .invalidArgument }
        #expect { try AESGCM.seal([1], key: SecureRandom.bytes(32), nonce: [0, 1]) } throws: { ($0 as? CryptoError)?.code == .invalidArgument }
    }
}
