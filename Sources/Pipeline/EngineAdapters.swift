import VeilCompression
import VeilCore
import VeilCrypto

/// The engine's cryptography, done by OpenSSL under one instance frame's content key.
package struct ContentKeyCrypto: ContentCrypto {
    package static let keySize = 32

    package let key: [UInt8]

    package init(key: [UInt8]) { self.key = key }

    /// A fresh random content key.
    package static func random() -> ContentKeyCrypto { ContentKeyCrypto(key: SecureRandom.bytes(keySize)) }

    package func seal(_ plaintext: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        try AESGCM.seal(plaintext, key: key, authenticating: associatedData)
    }

    package func open(_ sealed: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        try AESGCM.open(sealed, key: key, authenticating: associatedData)
    }

    /// HKDF-SHA-256 of the content key, one independent stream per purpose.
    package func keystream(count: Int, purpose: String) -> [UInt8] {
        guard count > 0 else { return [] }
        // HKDF gives at most 255 × 32 bytes per call: expand in chunks.
        var out = [UInt8]()
        out.reserveCapacity(count)
        var chunk = 0
        while out.count < count {
            let length = min(8160, count - out.count)
            let info = Array("dcmveil keystream \(purpose) \(chunk)".utf8)
            guard let block = try? HKDF.deriveKey(from: key, info: info, outputByteCount: length) else {
                preconditionFailure("HKDF-SHA-256 of a 32-byte key failed: OpenSSL is unusable")
            }
            out += block
            chunk += 1
        }
        return out
    }

    package func sha256(_ bytes: [UInt8]) -> [UInt8] { SHA256.hash(bytes) }
}

// The codec numbers are part of the protected-file format (the QR's parameters name the codec):
// they live here, with the format, and never change.
extension ZlibCodec: LosslessCodec { package var identifier: UInt8 { 1 } }
extension LZMACodec: LosslessCodec { package var identifier: UInt8 { 2 } }
extension ZstdCodec: LosslessCodec { package var identifier: UInt8 { 3 } }

enum Codecs {
    /// Every codec a restorer understands; the protector uses `preferred`.
    ///
    /// zstd at level 3 (the level is not stored; any level decompresses). Measured on MED residual
    /// planes of the key region, level 3 against 9: noisy 12-bit CT 0.22 / 0.59 ms and +0.4 %,
    /// MR2_UNCR 0.18 / 1.24 ms and −0.9 %, RG3_UNCR 3.5 / 10.8 ms and +1.2 %, eCT_Supplemental
    /// 0.12 / 0.71 ms and +4 % (`engine-bench` prints the table). Higher levels buy a percent or
    /// two of payload for several times the time.
    static let all: [any LosslessCodec] = [ZstdCodec(level: 3), LZMACodec(), ZlibCodec()]
    static var preferred: any LosslessCodec { all[0] }
}
