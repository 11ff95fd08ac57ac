/// Scrambles every full 8×8 block outside the key region, each with its own keyed permutation.
/// The keys come from the content-key keystream, not from the pixels, so the decoder unscrambles
/// the same blocks without knowing which were flat (a permutation of a flat block is the identity).
/// Scrambling hides detail, not secrets: confidentiality rests on the sealed payload.
///
/// A flat block is skipped, and a keyed permutation is derived only when a block that is not flat
/// needs it: flatness does not change under a permutation, so scrambling and unscrambling skip the
/// same blocks (a 1760² CR is 41 % flat blocks, a 512² CT 19 %).
struct Scrambler {
    private static let pixels = BlockLayout.side * BlockLayout.side

    let kind: ScrambleKind

    /// `table[k · 64 + i]`: where pixel i of a block goes under permutation k; for `.permutation`,
    /// permutation k is block k's and valid once `derived[k]`.
    private var table: [UInt8]
    private var derived: [Bool]
    /// Keystream bytes 8k…8k+7 seed block k's permutation (`.permutation`).
    private let seeds: [UInt8]
    /// Which permutation each block of `layout.scrambled` uses.
    private let choices: [Int]
    let layout: BlockLayout

    init(kind: ScrambleKind, layout: BlockLayout, crypto: some ContentCrypto) {
        self.kind = kind
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
            derived = []
            seeds = []
            choices = crypto.keystream(count: blocks, purpose: "dcmveil.scramble.arnold.v1").map { 1 + Int($0) % 5 }
        case .permutation:
            seeds = crypto.keystream(count: blocks * 8, purpose: "dcmveil.scramble.permutation.v1")
            table = [UInt8](repeating: 0, count: blocks * Self.pixels)
            derived = [Bool](repeating: false, count: blocks)
            choices = Array(0..<blocks)
        }
    }

    /// Derives the permutations of the blocks at `positions` (of `layout.scrambled`) not derived yet.
    private mutating func derive(_ positions: [Int]) {
        let missing = positions.filter { !derived[$0] }
        guard !missing.isEmpty else { return }
        seeds.withUnsafeBufferPointer { seeds in
            table.withUnsafeMutableBufferPointer { table in Self.keyedShuffles(seeds: seeds, blocks: missing, into: table) }
        }
        for position in missing { derived[position] = true }
    }

    /// `keyedShuffle(seed:into:)` for each block k of `blocks`, seeded by the big-endian bytes 8k…8k+7
    /// of `seeds`, into its 64 entries of `table`. Four blocks run in lockstep: one shuffle is a chain
    /// of dependent multiplications, and four independent chains keep the multiplier busy (about 3×
    /// the speed of one block at a time; the permutations are the same).
    static func keyedShuffles(seeds: UnsafeBufferPointer<UInt8>, blocks: [Int], into table: UnsafeMutableBufferPointer<UInt8>) {
        precondition(blocks.allSatisfy { $0 >= 0 && ($0 + 1) * 8 <= seeds.count && ($0 + 1) * pixels <= table.count },
                     "blocks outside the seeds or the table")
        func seed(_ block: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(seeds[block * 8 + $1]) }
        }
        let divisors = (0...pixels).map { Remainder.Divisor(max($0, 1)) }  // by i + 1; 0 is unused
        var next = 0
        while next + 4 <= blocks.count {
            let (b0, b1, b2, b3) = (blocks[next], blocks[next + 1], blocks[next + 2], blocks[next + 3])
            var (g0, g1, g2, g3) = (PermutationMixer(seed: seed(b0)), PermutationMixer(seed: seed(b1)),
                                    PermutationMixer(seed: seed(b2)), PermutationMixer(seed: seed(b3)))
            let base = table.baseAddress!
            let (t0, t1, t2, t3) = (base + b0 * pixels, base + b1 * pixels, base + b2 * pixels, base + b3 * pixels)
            for i in 0..<pixels {
                (t0[i], t1[i], t2[i], t3[i]) = (UInt8(i), UInt8(i), UInt8(i), UInt8(i))
            }
            for i in stride(from: pixels - 1, to: 0, by: -1) {
                let divisor = divisors[i + 1]
                let (r0, r1, r2, r3) = (Int(divisor.remainder(of: g0.next())), Int(divisor.remainder(of: g1.next())),
                                        Int(divisor.remainder(of: g2.next())), Int(divisor.remainder(of: g3.next())))
                (t0[i], t0[r0]) = (t0[r0], t0[i])
                (t1[i], t1[r1]) = (t1[r1], t1[i])
                (t2[i], t2[r2]) = (t2[r2], t2[i])
                (t3[i], t3[r3]) = (t3[r3], t3[i])
            }
            next += 4
        }
        for block in blocks[next...] {
            keyedShuffle(seed: seed(block), into: UnsafeMutableBufferPointer(rebasing: table[(block * pixels)..<((block + 1) * pixels)]))
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

    mutating func scramble(_ samples: inout [Int32]) { apply(&samples, inverse: false) }
    mutating func unscramble(_ samples: inout [Int32]) { apply(&samples, inverse: true) }

    private mutating func apply(_ samples: inout [Int32], inverse: Bool) {
        let (side, width) = (BlockLayout.side, layout.width)
        // Frame offsets of a block's pixels from its origin.
        let offsets = (0..<Self.pixels).map { $0 / side * width + $0 % side }
        // The blocks that are not flat: the only ones a permutation changes (a row of 8 at a time).
        let moving = samples.withUnsafeBytes { px in
            layout.scrambled.indices.filter { position in
                let origin = layout.origin(of: layout.scrambled[position])
                let first = SIMD8<Int32>(repeating: px.load(fromByteOffset: origin * 4, as: Int32.self))
                var differs = SIMDMask<SIMD8<Int32>>()
                for row in 0..<side {
                    differs .|= px.loadUnaligned(fromByteOffset: (origin + row * width) * 4, as: SIMD8<Int32>.self) .!= first
                }
                return any(differs)
            }
        }
        if kind == .permutation { derive(moving) }
        var block = [Int32](repeating: 0, count: Self.pixels)
        samples.withUnsafeMutableBufferPointer { px in
            block.withUnsafeMutableBufferPointer { block in
                offsets.withUnsafeBufferPointer { offsets in
                    table.withUnsafeBufferPointer { table in
                        choices.withUnsafeBufferPointer { choices in
                            for position in moving {
                                let origin = layout.origin(of: layout.scrambled[position])
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

/// `x % m` for m in 1…64 without a 64-bit division: the shuffle's 63 divisions per block were most of
/// the keyed permutation's cost. The quotient comes from one multiply-high and a shift (Granlund and
/// Montgomery, "Division by invariant integers using multiplication", 1994, figure 4.1: exact for
/// every 64-bit x), the remainder from one more multiplication.
enum Remainder {
    /// m with its multiplier m′ = ⌊2⁶⁴ · (2^ℓ − m) / m⌋ + 1 and ℓ − 1, where ℓ = ⌈log₂ m⌉. Callers keep
    /// their own (a table in a global cost a lazy-initialisation check on every call in the
    /// shuffle's inner loop).
    struct Divisor {
        let m: UInt64
        let multiplier: UInt64
        let shift: UInt64

        init(_ m: Int) {
            precondition((1...64).contains(m), "divisors are 1…64")
            self.m = UInt64(m)
            let l = UInt64(m).bitWidth - (UInt64(m) - 1).leadingZeroBitCount  // ⌈log₂ m⌉
            guard l > 0 else { (multiplier, shift) = (0, 0); return }
            multiplier = UInt64(truncatingIfNeeded: (UInt128(1) << 64) * ((UInt128(1) << l) - UInt128(m)) / UInt128(m) + 1)
            shift = UInt64(l - 1)
        }

        @inline(__always)
        func remainder(of x: UInt64) -> UInt64 {
            if m == 1 { return 0 }
            let t = multiplier.multipliedFullWidth(by: x).high
            let quotient = (t &+ ((x &- t) &>> 1)) &>> shift
            return x &- quotient &* m
        }
    }

    @inline(__always)
    static func of(_ x: UInt64, by m: Int) -> UInt64 { Divisor(m).remainder(of: x) }
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

/// A frame's block permutations, derived from the content key as blocks need them and shared by every
/// plane of the frame and by protect's verification restore (deriving them is a keystream and 63
/// keyed swaps per block: the largest part of scrambling). Only used for a frame of the same size,
/// key region and scramble kind; the caller vouches that the content key is the same.
package struct PreparedScramble: Sendable {
    let scrambler: Scrambler

    /// `scrambler` when it was prepared for this kind and layout, else one derived from `crypto`.
    static func scrambler(_ prepared: PreparedScramble?, kind: ScrambleKind, layout: BlockLayout, crypto: some ContentCrypto) -> Scrambler {
        if let scrambler = prepared?.scrambler, scrambler.kind == kind, scrambler.layout.width == layout.width,
           scrambler.layout.height == layout.height, scrambler.layout.keyRegion == layout.keyRegion {
            return scrambler
        }
        return Scrambler(kind: kind, layout: layout, crypto: crypto)
    }
}
