/// Scrambles every full 8×8 block outside the key region, each with its own keyed permutation.
/// The keys come from the content-key keystream, not from the pixels, so the decoder unscrambles
/// the same blocks without knowing which were flat (a permutation of a flat block is the identity).
/// Scrambling hides detail, not secrets: confidentiality rests on the sealed payload.
struct Scrambler {
    private static let pixels = BlockLayout.side * BlockLayout.side

    /// `table[k · 64 + i]`: where pixel i of a block goes under permutation k.
    private let table: [UInt8]
    /// Which permutation each block of `layout.scrambled` uses.
    private let choices: [Int]
    private let layout: BlockLayout

    init(kind: ScrambleKind, layout: BlockLayout, crypto: some ContentCrypto) {
        self.layout = layout
        let blocks = layout.scrambled.count
        switch kind {
        case .arnold:
            // The cat map's period on 8×8 is 6: 1…5 iterations are the non-identity ones.
            let map = Self.arnoldMap()
            table = (0...5).flatMap { iterations in
                (0..<Self.pixels).map { pixel in
                    UInt8((0..<iterations).reduce(pixel) { position, _ in map[position] })
                }
            }
            choices = crypto.keystream(count: blocks, purpose: "dcmveil.scramble.arnold.v1").map { 1 + Int($0) % 5 }
        case .permutation:
            let seeds = crypto.keystream(count: blocks * 8, purpose: "dcmveil.scramble.permutation.v1")
            // One flat table, shuffled in place (a block's own array each cost an allocation per block).
            var table = [UInt8](repeating: 0, count: blocks * Self.pixels)
            table.withUnsafeMutableBufferPointer { table in
                seeds.withUnsafeBufferPointer { seeds in
                    for block in 0..<blocks {
                        var seed: UInt64 = 0
                        for byte in seeds[(block * 8)..<(block * 8 + 8)] { seed = seed << 8 | UInt64(byte) }
                        Self.keyedShuffle(seed: seed, into: UnsafeMutableBufferPointer(rebasing: table[(block * Self.pixels)..<((block + 1) * Self.pixels)]))
                    }
                }
            }
            self.table = table
            choices = Array(0..<blocks)
        }
    }

    /// Fisher–Yates driven by `PermutationMixer`, spelled out rather than `shuffled(using:)` because the
    /// permutation is part of the format and must not change with the standard library.
    static func keyedShuffle(seed: UInt64) -> [Int] {
        var permutation = [UInt8](repeating: 0, count: pixels)
        permutation.withUnsafeMutableBufferPointer { keyedShuffle(seed: seed, into: $0) }
        return permutation.map(Int.init)
    }

    /// The same shuffle into a 64-entry buffer.
    static func keyedShuffle(seed: UInt64, into permutation: UnsafeMutableBufferPointer<UInt8>) {
        var generator = PermutationMixer(seed: seed)
        for i in 0..<pixels { permutation[i] = UInt8(i) }
        for i in stride(from: pixels - 1, to: 0, by: -1) {
            permutation.swapAt(i, Int(Remainder.of(generator.next(), by: i + 1)))
        }
    }

    /// (x′, y′) = (x + y, x + 2y) mod 8 as a map of in-block pixel indices y·8 + x.
    private static func arnoldMap() -> [Int] {
        let n = BlockLayout.side
        return (0..<pixels).map { pixel in
            let (x, y) = (pixel % n, pixel / n)
            return (x + 2 * y) % n * n + (x + y) % n
        }
    }

    func scramble(_ samples: inout [Int32]) { apply(&samples, inverse: false) }
    func unscramble(_ samples: inout [Int32]) { apply(&samples, inverse: true) }

    private func apply(_ samples: inout [Int32], inverse: Bool) {
        let (side, width) = (BlockLayout.side, layout.width)
        // Frame offsets of a block's pixels from its origin, and the permutations in one flat table.
        let offsets = (0..<Self.pixels).map { $0 / side * width + $0 % side }
        var block = [Int32](repeating: 0, count: Self.pixels)
        samples.withUnsafeMutableBufferPointer { px in
            block.withUnsafeMutableBufferPointer { block in
                offsets.withUnsafeBufferPointer { offsets in
                    table.withUnsafeBufferPointer { table in
                        choices.withUnsafeBufferPointer { choices in
                            for (position, index) in layout.scrambled.enumerated() {
                                let origin = layout.origin(of: index)
                                let permutation = choices[position] * Self.pixels
                                for pixel in 0..<Self.pixels { block[pixel] = px[origin + offsets[pixel]] }
                                if inverse {
                                    for pixel in 0..<Self.pixels { px[origin + offsets[pixel]] = block[Int(table[permutation + pixel])] }
                                } else {
                                    for pixel in 0..<Self.pixels { px[origin + offsets[Int(table[permutation + pixel])]] = block[pixel] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `x % m` for m in 1…64 without a 64-bit division (Lemire, Kaser and Kurz, "Faster remainder by
/// direct computation", 2019, with a 128-bit reciprocal so that it is exact for every 64-bit x):
/// the shuffle's 63 divisions per block were most of the keyed permutation's cost.
enum Remainder {
    /// (high, low) halves of ⌊(2¹²⁸ − 1) / m⌋ + 1, by m.
    private static let reciprocals: [(high: UInt64, low: UInt64)] = (0...64).map { m in
        guard m > 1 else { return (0, 0) }
        let reciprocal = UInt128.max / UInt128(m) + 1
        return (UInt64(truncatingIfNeeded: reciprocal >> 64), UInt64(truncatingIfNeeded: reciprocal))
    }

    @inline(__always)
    static func of(_ x: UInt64, by m: Int) -> UInt64 {
        if m == 1 { return 0 }
        let reciprocal = reciprocals[m]
        // low128 = reciprocal · x mod 2¹²⁸
        let (productHigh, lowLow) = reciprocal.low.multipliedFullWidth(by: x)
        let lowHigh = productHigh &+ reciprocal.high &* x
        // remainder = ⌊low128 · m / 2¹²⁸⌋
        let (carryIn, _) = lowLow.multipliedFullWidth(by: UInt64(m))
        let (high, middle) = lowHigh.multipliedFullWidth(by: UInt64(m))
        let (_, overflow) = middle.addingReportingOverflow(carryIn)
        return high &+ (overflow ? 1 : 0)
    }
}

/// A small, fast PRNG seeded from the keystream; its only job is to expand 64 keyed bits into one
/// block permutation. SplitMix64's structure with a second multiplier that differs from the
/// published one (…1CE5_E539, not …1CE4_E5B9): part of format 1, pinned by known-answer tests, so
/// it must never be "corrected".
struct PermutationMixer {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E539
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
