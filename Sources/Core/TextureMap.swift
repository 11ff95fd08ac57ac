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
    /// Rhombus prediction errors on the original frame of the interior pixels of each usable block:
    /// `errorCounts[position]` of them from `position · 64`.
    private let errors: [Int32]
    private let errorCounts: [UInt8]
    private let format: SampleFormat

    init(frame: Frame, layout: BlockLayout, ranges: [ExpansionRange]) {
        self.ranges = ranges
        format = frame.format
        let width = frame.width, height = frame.height
        var variances = [Double](repeating: 0, count: layout.usable.count)
        var minima = [Int32](repeating: 0, count: layout.usable.count)
        var maxima = [Int32](repeating: 0, count: layout.usable.count)
        var errors = [Int32](repeating: 0, count: layout.usable.count * 64)
        var errorCounts = [UInt8](repeating: 0, count: layout.usable.count)
        frame.samples.withUnsafeBufferPointer { px in
            for (position, block) in layout.usable.enumerated() {
                var sum = 0, sumOfSquares = 0, errorCount = 0
                var (smallest, largest) = (Int32.max, Int32.min)
                let start = layout.origin(of: block)
                let (bx, by) = (start % width, start / width)
                for y in by..<(by + BlockLayout.side) {
                    for x in bx..<(bx + BlockLayout.side) {
                        let i = y * width + x
                        let v = px[i]
                        sum += Int(v)
                        sumOfSquares += Int(v) * Int(v)
                        smallest = min(smallest, v)
                        largest = max(largest, v)
                        guard x > 0, y > 0, x < width - 1, y < height - 1 else { continue }
                        let neighbours = px[i - 1] &+ px[i + 1] &+ px[i - width] &+ px[i + width]
                        errors[position * 64 + errorCount] = v &- neighbours >> 2
                        errorCount += 1
                    }
                }
                let n = Double(BlockLayout.side * BlockLayout.side)
                let mean = Double(sum) / n
                variances[position] = max(Double(sumOfSquares) / n - mean * mean, 0)
                minima[position] = smallest
                maxima[position] = largest
                errorCounts[position] = UInt8(errorCount)
            }
        }
        self.variances = variances
        self.errors = errors
        self.errorCounts = errorCounts
        self.minima = minima
        self.maxima = maxima
    }

    /// Per usable block, its interior pixels whose prediction error lies in `range`: roughly what
    /// one pass with that range embeds there. Computed on demand, as most frames settle on the
    /// first ranges.
    func capacityCounts(for range: ExpansionRange) -> [Int32] {
        let (p, span) = (Int32(range.p), UInt32(range.q - range.p))
        var counts = [Int32](repeating: 0, count: variances.count)
        errors.withUnsafeBufferPointer { errors in
            errorCounts.withUnsafeBufferPointer { errorCounts in
                counts.withUnsafeMutableBufferPointer { counts in
                    for position in 0..<counts.count {
                        var count: Int32 = 0
                        let start = position * 64
                        for k in start..<(start + Int(errorCounts[position])) {
                            count &+= UInt32(bitPattern: errors[k] &- p) <= span ? 1 : 0
                        }
                        counts[position] = count
                    }
                }
            }
        }
        return counts
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
