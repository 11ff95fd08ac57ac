import Foundation

/// SplitMix64: a tiny, well-known generator whose output depends only on the seed, so that
/// `dcmveil sample --seed S` writes identical files on every machine and Swift version
/// (the standard library's generator makes no such promise).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one part of the tree, independent of how much the other parts drew.
    init(seed: UInt64, stream: UInt64...) {
        var mixer = SeededRandom(seed: seed)
        for value in stream { mixer.state ^= value &* 0x9E37_79B9_7F4A_7C15; _ = mixer.next() }
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller); deterministic because it uses only `unit()`.
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}
