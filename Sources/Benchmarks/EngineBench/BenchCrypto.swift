import VeilCore

/// Stand-in for the pipeline's OpenSSL AES-256-GCM and SHA-256 (VeilCrypto is built elsewhere):
/// a keyed XOR stream with a keyed tag, at a cost in the same range as AES-NI GCM and SHA-256.
/// The report states OpenSSL's own figures next to the engine's.
struct BenchCrypto: ContentCrypto {
    var key: UInt64

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E539
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func hash(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var h = mix(seed ^ UInt64(bytes.count))
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words { h = mix(h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
            for i in (words * 8)..<raw.count { h = mix(h ^ UInt64(raw[i])) }
        }
        return h
    }

    private func stream(count: Int, seed: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var state = seed
        out.withUnsafeMutableBytes { raw in
            for i in 0..<count {
                if i % 8 == 0 { state = Self.mix(state) }
                raw[i] = UInt8(truncatingIfNeeded: state >> UInt64(8 * (i % 8)))
            }
        }
        return out
    }

    private func tag(_ nonce: [UInt8], _ ciphertext: [UInt8], _ associatedData: [UInt8]) -> [UInt8] {
        let first = Self.hash(nonce + associatedData, seed: key)
        let second = Self.hash(ciphertext, seed: first)
        return (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? first : second) >> UInt64(8 * ($0 % 8))) }
    }

    func seal(_ plaintext: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        let nonce = (0..<12).map { UInt8(truncatingIfNeeded: Self.mix(key &+ UInt64($0))) }
        let pad = stream(count: plaintext.count, seed: Self.hash(nonce, seed: key))
        var ciphertext = plaintext
        for i in ciphertext.indices { ciphertext[i] ^= pad[i] }
        return nonce + ciphertext + tag(nonce, ciphertext, associatedData)
    }

    struct Failure: Error {}

    func open(_ sealed: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= 28 else { throw Failure() }
        let nonce = Array(sealed[..<12]), ciphertext = Array(sealed[12..<(sealed.count - 16)])
        guard tag(nonce, ciphertext, associatedData) == Array(sealed.suffix(16)) else { throw Failure() }
        let pad = stream(count: ciphertext.count, seed: Self.hash(nonce, seed: key))
        var plaintext = ciphertext
        for i in plaintext.indices { plaintext[i] ^= pad[i] }
        return plaintext
    }

    func keystream(count: Int, purpose: String) -> [UInt8] {
        stream(count: count, seed: Self.hash(Array(purpose.utf8), seed: key))
    }

    func sha256(_ bytes: [UInt8]) -> [UInt8] {
        (0..<4).flatMap { lane in
            let h = Self.hash(bytes, seed: UInt64(lane))
            return (0..<8).map { UInt8(truncatingIfNeeded: h >> UInt64(8 * $0)) }
        }
    }
}
