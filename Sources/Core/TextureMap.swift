/// Per-block statistics of the original frame, computed once per protect. The texture map for any
/// threshold and range, and the planner's cheap capacity estimates, all come from here.
///
/// A block is texture when its variance exceeds T·s² (the paper's rule) **and** its values stay
/// clear of the overflow zone through every pass: each pass moves a value by p…q + 1, so a block is
/// eligible for k passes of [p, q] when all its values lie in [min − k·p, max − k·(q + 1)]. The map
/// travels in the side information, so the decoder never re-derives it and the encoder is free to
/// add the second condition. It matters: MR and CT frames have backgrounds at or near the format
/// minimum, and expanding such blocks buys little capacity while their location-map bits (mixed 0s
/// and 1s that compress poorly) can outgrow the payload. With it, only the last pass can move a
/// value into the zone, so location maps are all ones and cost a few bits.
struct TextureStatistics {
    /// Variance of each usable block (indexed like `BlockLayout.usable`).
    let variances: [Double]
    let ranges: [ExpansionRange]
    /// Smallest and largest value of each usable block.
    let minima: [Int32]
    let maxima: [Int32]
    /// Rhombus prediction errors on the original frame of the interior pixels of each usable block,
    /// 64 slots from `position · 64`: slots of pixels on the frame's border (which have no
    /// prediction) hold `Self.noError`, which no range counts. Errors are held as 16-bit words,
    /// clamped to ±32767 (half the memory and twice the lanes of 32-bit ones): counts are exact for
    /// ranges within that, as every ladder range is (|p|, q + 1 ≤ 2¹⁴), and estimates otherwise.
    private let errors: [Int16]
    private static let noError = Int16.min
    private let format: SampleFormat

    init(frame: Frame, layout: BlockLayout, ranges: [ExpansionRange]) {
        self.ranges = ranges
        format = frame.format
        let width = frame.width, height = frame.height
        var variances = [Double](repeating: 0, count: layout.usable.count)
        var minima = [Int32](repeating: 0, count: layout.usable.count)
        var maxima = [Int32](repeating: 0, count: layout.usable.count)
        var errors = [Int16](repeating: Self.noError, count: layout.usable.count * 64)
        frame.samples.withUnsafeBufferPointer { px in
            errors.withUnsafeMutableBufferPointer { errors in
                for (position, block) in layout.usable.enumerated() {
                    var sum = 0, sumOfSquares = 0, slot = position * 64
                    var (smallest, largest) = (Int32.max, Int32.min)
                    let start = layout.origin(of: block)
                    let (bx, by) = (start % width, start / width)
                    // Blocks off the frame's border (almost all) have a prediction for every pixel:
                    // a row of 8 at a time (the values and squares sum exactly, as integers would).
                    let interior = bx > 0 && by > 0 && bx + BlockLayout.side < width && by + BlockLayout.side < height
                    if interior && BlockLayout.side == 8 {
                        let base = UnsafeRawPointer(px.baseAddress!)
                        let errorBase = UnsafeMutableRawPointer(errors.baseAddress!)
                        var (low, high) = (SIMD8<Int32>(repeating: .max), SIMD8<Int32>(repeating: .min))
                        var (total, squares) = (SIMD8<Int32>(), SIMD8<Double>())
                        for y in by..<(by + 8) {
                            let i = y * width + bx
                            func row(_ offset: Int) -> SIMD8<Int32> { base.loadUnaligned(fromByteOffset: (i + offset) * 4, as: SIMD8<Int32>.self) }
                            let v = row(0)
                            let predicted = (row(-1) &+ row(1) &+ row(-width) &+ row(width)) &>> 2
                            errorBase.storeBytes(of: Self.clamped(v &- predicted), toByteOffset: slot * 2, as: SIMD8<Int16>.self)
                            slot += 8
                            total &+= v
                            let d = SIMD8<Double>(v)
                            squares += d * d
                            low = pointwiseMin(low, v)
                            high = pointwiseMax(high, v)
                        }
                        sum = Int(total.wrappedSum())
                        sumOfSquares = Int(squares.sum())
                        (smallest, largest) = (low.min(), high.max())
                    } else {
                        for y in by..<(by + BlockLayout.side) {
                            for x in bx..<(bx + BlockLayout.side) {
                                let i = y * width + x
                                let v = px[i]
                                sum += Int(v)
                                sumOfSquares += Int(v) * Int(v)
                                smallest = min(smallest, v)
                                largest = max(largest, v)
                                defer { slot += 1 }
                                    guard x > 0 && y > 0 && x < width - 1 && y < height - 1 else { continue }
                                let neighbours = px[i - 1] &+ px[i + 1] &+ px[i - width] &+ px[i + width]
                                errors[slot] = Int16(clamping: max(v &- neighbours >> 2, -Int32(Int16.max)))
                            }
                        }
                    }
                    let n = Double(BlockLayout.side * BlockLayout.side)
                    let mean = Double(sum) / n
                    variances[position] = max(Double(sumOfSquares) / n - mean * mean, 0)
                    minima[position] = smallest
                    maxima[position] = largest
                }
            }
        }
        self.variances = variances
        self.errors = errors
        self.minima = minima
        self.maxima = maxima
    }

    /// Per usable block, its interior pixels whose prediction error lies in `range`: roughly what
    /// one pass with that range embeds there. Computed on demand, as most frames settle on the
    /// first ranges.
    func capacityCounts(for range: ExpansionRange) -> [Int32] {
        // An error e lies in [p, q] when e − p, wrapped to 16 bits, is at most q − p (p and q clamped
        // to ±32767 like the errors). For `noError` (−2¹⁵) that wrapped difference is 2¹⁵ − p, which
        // exceeds q − p for any q < 2¹⁵.
        precondition(range.p <= 0 && range.q >= 0, "expansion ranges contain 0")
        let p = Int16(clamping: max(range.p, -Int(Int16.max)))
        let span = UInt16(Int(Int16(clamping: range.q)) - Int(p))
        var counts = [Int32](repeating: 0, count: variances.count)
        // A fixed 64 slots per block, 16 lanes at a time, without branches.
        let (lower, width, one) = (SIMD16<UInt16>(repeating: UInt16(bitPattern: p)), SIMD16<UInt16>(repeating: span),
                                   SIMD16<UInt16>(repeating: 1))
        errors.withUnsafeBytes { errors in
            counts.withUnsafeMutableBufferPointer { counts in
                for position in 0..<counts.count {
                    var lanes = SIMD16<UInt16>()
                    for chunk in 0..<4 {
                        let e = errors.loadUnaligned(fromByteOffset: (position * 64 + chunk * 16) * 2, as: SIMD16<UInt16>.self)
                        lanes &+= one.replacing(with: 0, where: e &- lower .> width)
                    }
                    counts[position] = Int32(lanes.wrappedSum())
                }
            }
        }
        return counts
    }

    /// Errors as stored: clamped to ±32767, so that −32768 stays `noError`.
    @inline(__always)
    private static func clamped(_ errors: SIMD8<Int32>) -> SIMD8<Int16> {
        let limit = SIMD8<Int32>(repeating: Int32(Int16.max))
        return SIMD8<Int16>(truncatingIfNeeded: pointwiseMax(pointwiseMin(errors, limit), 0 &- limit))
    }

    /// Whether block `position` stays clear of the overflow zone through `passes` passes of `range`.
    @inline(__always)
    func isEligible(_ position: Int, range: ExpansionRange, passes: Int) -> Bool {
        Int(minima[position]) >= Int(format.minValue) - passes * range.p
            && Int(maxima[position]) <= Int(format.maxValue) - passes * (range.q + 1)
    }

    /// Whether block `position` is texture: variance above `varianceLimit` and eligible.
    @inline(__always)
    func isTexture(_ position: Int, varianceLimit: Double, range: ExpansionRange, passes: Int) -> Bool {
        variances[position] > varianceLimit && isEligible(position, range: range, passes: passes)
    }

    /// T in 8-bit units as a variance limit: T·s², s = 2^(bitsStored−8) for deeper data.
    func varianceLimit(threshold: Int) -> Double { Double(threshold) * format.varianceScale }

    /// One bit per usable block from `firstCandidate` on: 1 when the block is texture for the
    /// candidate's threshold, range and passes.
    func textureMap(_ candidate: PlanCandidate, firstCandidate: Int) -> [UInt8] {
        let limit = varianceLimit(threshold: candidate.threshold)
        var map = [UInt8](repeating: 0, count: variances.count - firstCandidate)
        for position in firstCandidate..<variances.count
        where isTexture(position, varianceLimit: limit, range: candidate.range, passes: candidate.passes) {
            map[position - firstCandidate] = 1
        }
        return map
    }
}
