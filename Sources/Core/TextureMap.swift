/// Per-block statistics of the original frame, computed once per protect. The texture map for any
/// threshold and the planner's cheap capacity estimates both come from here.
struct TextureStatistics {
    /// Variance of each usable block (indexed like `BlockLayout.usable`).
    let variances: [Double]
    /// The expansion ranges the counts refer to, nested, narrowest first.
    let ranges: [ExpansionRange]
    /// `counts[position * ranges.count + r]`: interior pixels of usable block `position` whose
    /// prediction error on the original frame lies in range r and whose value is outside range r's
    /// overflow zone, i.e. what a first cross pass with range r would embed there, roughly.
    let counts: [Int32]

    init(frame: Frame, layout: BlockLayout, ranges: [ExpansionRange]) {
        self.ranges = ranges
        let width = frame.width, height = frame.height
        let (low, high) = (Int(frame.format.minValue), Int(frame.format.maxValue))
        let rangeCount = ranges.count
        var variances = [Double](repeating: 0, count: layout.usable.count)
        var counts = [Int32](repeating: 0, count: layout.usable.count * rangeCount)
        frame.samples.withUnsafeBufferPointer { px in
            ranges.withUnsafeBufferPointer { ranges in
                for (position, block) in layout.usable.enumerated() {
                    var sum = 0, sumOfSquares = 0
                    // Difference array over range indices: a pixel counts for ranges first...last.
                    var delta = [Int32](repeating: 0, count: rangeCount + 1)
                    let start = layout.origin(of: block)
                    let (bx, by) = (start % width, start / width)
                    for row in 0..<BlockLayout.side {
                        let y = by + row
                        for column in 0..<BlockLayout.side {
                            let x = bx + column
                            let i = y * width + x
                            let v = Int(px[i])
                            sum += v
                            sumOfSquares += v * v
                            guard x > 0, y > 0, x < width - 1, y < height - 1 else { continue }
                            let d = v - (Int(px[i - 1]) + Int(px[i + 1]) + Int(px[i - width]) + Int(px[i + width])) >> 2
                            var first = 0
                            while first < rangeCount && !(ranges[first].p <= d && d <= ranges[first].q) { first += 1 }
                            var last = first - 1
                            while last + 1 < rangeCount && v >= low - ranges[last + 1].p && v <= high - ranges[last + 1].q - 1 {
                                last += 1
                            }
                            if first <= last {
                                delta[first] += 1
                                delta[last + 1] -= 1
                            }
                        }
                    }
                    let n = Double(BlockLayout.side * BlockLayout.side)
                    let mean = Double(sum) / n
                    variances[position] = max(Double(sumOfSquares) / n - mean * mean, 0)
                    var running: Int32 = 0
                    for r in 0..<rangeCount {
                        running += delta[r]
                        counts[position * rangeCount + r] = running
                    }
                }
            }
        }
        self.variances = variances
        self.counts = counts
    }

    /// One bit per usable block from `firstCandidate` on: 1 when its variance exceeds T·s²
    /// (T in 8-bit units, s = 2^(bitsStored−8) for deeper data).
    func textureMap(threshold: Int, format: SampleFormat, firstCandidate: Int) -> [UInt8] {
        let limit = Double(threshold) * format.varianceScale
        return variances[firstCandidate...].map { $0 > limit ? 1 : 0 }
    }
}
