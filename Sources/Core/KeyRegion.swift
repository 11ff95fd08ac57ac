extension Engine {
    /// The key region: the clinician's explicit choice, or the square candidate with the largest
    /// coefficient of variation σ/μ among those not mostly background.
    ///
    /// Candidates lie on a grid of `keyRegionStride` (default: the side, as in the paper). σ/μ is
    /// taken on values shifted so the format minimum is 0: signed CT has means near zero, which
    /// would make the raw ratio meaningless. A candidate is mostly background when more than half of
    /// its pixels lie in the darkest eighth of the frame's 1st–99th percentile range; if every
    /// candidate is, all are considered.
    public static func keyRegion(for frame: Frame, configuration: EngineConfiguration) throws(EngineError) -> Region {
        guard frame.isWithinFormat else { throw .samplesOutOfRange }
        if let explicit = configuration.explicitKeyRegion {
            try validateKeyRegion(explicit, in: frame)
            return explicit
        }
        let side = configuration.keyRegionSide ?? configuration.automaticKeyRegionSide(width: frame.width, height: frame.height)
        let minimumFrameSide = side + 2 * BlockLayout.side
        guard min(frame.width, frame.height) >= minimumFrameSide else {
            throw .frameTooSmall(width: frame.width, height: frame.height, minimumSide: minimumFrameSide)
        }
        let stride = max(configuration.keyRegionStride ?? side, 1)
        let shift = -Int(frame.format.minValue)
        let backgroundLimit = backgroundLevel(frame, shift: shift)

        // Summed-area tables of value, value² and background count make each candidate O(1).
        let (width, height) = (frame.width, frame.height)
        let tableWidth = width + 1
        var sums = [Int](repeating: 0, count: tableWidth * (height + 1))
        var squares = sums
        var background = sums
        frame.samples.withUnsafeBufferPointer { px in
            for y in 0..<height {
                var rowSum = 0, rowSquares = 0, rowBackground = 0
                for x in 0..<width {
                    let v = Int(px[y * width + x]) + shift
                    rowSum += v
                    rowSquares += v * v
                    rowBackground += v <= backgroundLimit ? 1 : 0
                    let cell = (y + 1) * tableWidth + x + 1
                    sums[cell] = sums[cell - tableWidth] + rowSum
                    squares[cell] = squares[cell - tableWidth] + rowSquares
                    background[cell] = background[cell - tableWidth] + rowBackground
                }
            }
        }
        func total(_ table: [Int], _ x: Int, _ y: Int) -> Int {
            let (top, bottom) = (y * tableWidth, (y + side) * tableWidth)
            return table[bottom + x + side] - table[bottom + x] - table[top + x + side] + table[top + x]
        }

        let area = Double(side * side)
        var best: (region: Region, cv: Double)?
        var bestBackground: (region: Region, cv: Double)?
        for y in Swift.stride(from: 0, through: height - side, by: stride) {
            for x in Swift.stride(from: 0, through: width - side, by: stride) {
                let mean = Double(total(sums, x, y)) / area
                let variance = max(Double(total(squares, x, y)) / area - mean * mean, 0)
                let cv = mean > 0 ? variance.squareRoot() / mean : 0
                let candidate = (Region(x: x, y: y, width: side, height: side), cv)
                if 2 * total(background, x, y) > side * side {
                    if cv > bestBackground?.cv ?? -1 { bestBackground = candidate }
                } else if cv > best?.cv ?? -1 {
                    best = candidate
                }
            }
        }
        return (best ?? bestBackground)!.region
    }

    /// Shifted values at or below this count as background.
    private static func backgroundLevel(_ frame: Frame, shift: Int) -> Int {
        var histogram = [Int](repeating: 0, count: 1 << frame.format.bitsStored)
        for v in frame.samples { histogram[Int(v) + shift] += 1 }
        func percentile(_ fraction: Double) -> Int {
            let target = Int(Double(frame.samples.count) * fraction)
            var seen = 0
            for (value, count) in histogram.enumerated() {
                seen += count
                if seen > target { return value }
            }
            return histogram.count - 1
        }
        let (low, high) = (percentile(0.01), percentile(0.99))
        return low + (high - low) / 8
    }

    static func validateKeyRegion(_ region: Region, in frame: Frame) throws(EngineError) {
        guard !region.isEmpty else { throw .invalidKeyRegion(region, reason: "empty") }
        guard frame.bounds.contains(region) else { throw .invalidKeyRegion(region, reason: "outside the \(frame.width)×\(frame.height) frame") }
        guard region.maxX <= Int(UInt16.max), region.maxY <= Int(UInt16.max) else {
            throw .invalidKeyRegion(region, reason: "beyond 65535 pixels")
        }
    }
}
