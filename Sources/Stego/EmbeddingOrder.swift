import VeilCrypto

/// The order in which the sealed payload's bits visit the cover's samples after the header.
///
/// `sequential` fills samples in raster order (frames, rows, columns, colour components), so a partly
/// filled cover has all its changes in one band at the top. `keyed` scatters the bits over every sample
/// after the header with a permutation drawn from the header's random seed. The seed is public (the
/// receiver must find the bits before it can unwrap anything secret), so the keyed order hides the
/// *pattern* of changes from the eye and from simple band-wise statistics; it is not a secret and adds
/// no confidentiality. Confidentiality and integrity rest on AES-256-GCM and RSA-OAEP alone.
package enum EmbeddingOrder: String, CaseIterable, Sendable {
    case sequential, keyed

    var code: UInt8 { self == .sequential ? 0 : 1 }

    init?(code: UInt8) {
        switch code {
        case 0: self = .sequential
        case 1: self = .keyed
        default: return nil
        }
    }
}

/// Which sample carries payload bit k: the samples after the header, in the chosen order.
struct Placement {
    private let start: Int
    /// For the keyed order, the first entries of a seeded permutation of the samples after the header.
    private let permutation: [UInt32]?

    /// Places `bitCount` bits among the `sampleCount − start` samples that follow the header.
    init(_ order: EmbeddingOrder, seed: [UInt8], start: Int, bitCount: Int, sampleCount: Int) throws {
        precondition(start + bitCount <= sampleCount, "payload larger than the cover")
        self.start = start
        switch order {
        case .sequential:
            permutation = nil
        case .keyed:
            precondition(sampleCount - start <= Int(UInt32.max), "cover too large for a 32-bit permutation")
            var generator = Xoshiro256StarStar(
                seed: try HKDF.deriveKey(from: seed, info: Array("dcmveil stego keyed order v1".utf8), outputByteCount: 32))
            // Partial Fisher–Yates: the first bitCount entries of a uniform random permutation.
            var indices = Array(0..<UInt32(sampleCount - start))
            for i in 0..<bitCount {
                let j = i + Int(generator.next(below: UInt64(indices.count - i)))
                indices.swapAt(i, j)
            }
            indices.removeSubrange(bitCount...)
            permutation = indices
        }
    }

    subscript(bit: Int) -> Int {
        start + (permutation.map { Int($0[bit]) } ?? bit)
    }
}

/// xoshiro256** (Blackman and Vigna, 2018): a small, fast generator whose output is fixed by its
/// definition, unlike Swift's `random(in:using:)`, whose mapping to a range may change between releases.
/// The permutation must come out identical on every machine and every future version, so this file
/// owns both the generator and the range reduction.
struct Xoshiro256StarStar {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// `seed`: 32 bytes, the four state words in big-endian order.
    init(seed: [UInt8]) {
        precondition(seed.count == 32, "xoshiro256** needs a 32-byte seed")
        let words = (0..<4).map { integer(seed[(8 * $0)..<(8 * $0 + 8)]) }
        state = (words[0], words[1], words[2], words[3])
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform value in 0..<bound, without modulo bias (Lemire, 2019).
    mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { x << k | x >> (64 - k) }
}
