extension Engine {
    /// The key region: the clinician's explicit choice, or the square candidate with the largest
    /// coefficient of variation σ/μ among those not mostly background.
    ///
    /// Candidates lie on a grid of `keyRegionStride` (default: a quarter of the side; the paper's
    /// non-overlapping grid is its stated future work). σ/μ is taken on values shifted so the format
    /// minimum is 0: signed CT has means near zero, which would make the raw ratio meaningless. Only
    /// candidates on the anatomy compete: at most 10 % background (`maximumKeyRegionBackground`), or,
    /// when no candidate is that clean, those within 5 points of the cleanest — never one that is
    /// mostly background when a better one exists (σ/μ alone prefers the body's edge).
    ///
    /// Background is what Otsu's threshold puts on the dark side (the high side when
    /// `highValuesAreBackground`, MONOCHROME1) *and* is connected to the frame's border through such
    /// pixels: for CT the padding outside the field of view and the air around the body, for MR and
    /// CR the empty surround. Dark areas enclosed by the body (lungs, ventricles) are anatomy.
    /// (A fixed fraction of the value range is not enough: with CT padding at −2000 the air around
    /// the body sits well above it, and the field-of-view corners would win on σ/μ.)
    package static func keyRegion(for frame: Frame, configuration: EngineConfiguration) throws(EngineError) -> Region {
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
        let stride = max(configuration.keyRegionStride ?? max(side / 4 / BlockLayout.side * BlockLayout.side, BlockLayout.side), 1)
        let shift = -Int(frame.format.minValue)
        let isBackground = backgroundMask(frame, highValuesAreBackground: configuration.highValuesAreBackground,
                                          enclosedIsAnatomy: configuration.enclosedBackgroundIsAnatomy)

        // Sums of value, value² and background count per candidate: straight over the block when the
        // candidates do not overlap much, else from summed-area tables (each candidate O(1)).
        let (width, height) = (frame.width, frame.height)
        let xs = Array(Swift.stride(from: 0, through: width - side, by: stride))
        let ys = Array(Swift.stride(from: 0, through: height - side, by: stride))
        let totals: (Int, Int) -> (sum: Int, squares: Int, background: Int)
        if xs.count * ys.count * side * side <= 2 * width * height {
            totals = { x, y in
                frame.samples.withUnsafeBufferPointer { px in
                    var sum = 0, squares = 0, background = 0
                    for row in y..<(y + side) {
                        for i in (row * width + x)..<(row * width + x + side) where isBackground[i] { background += 1 }
                        for v in px[(row * width + x)..<(row * width + x + side)] {
                            let shifted = Int(v) + shift
                            sum += shifted
                            squares += shifted * shifted
                        }
                    }
                    return (sum, squares, background)
                }
            }
        } else {
            let tableWidth = width + 1
            var sums = [Int](repeating: 0, count: tableWidth * (height + 1))
            var squares = sums
            var background = sums
            frame.samples.withUnsafeBufferPointer { px in
                sums.withUnsafeMutableBufferPointer { sums in
                    squares.withUnsafeMutableBufferPointer { squares in
                        background.withUnsafeMutableBufferPointer { background in
                            for y in 0..<height {
                                var rowSum = 0, rowSquares = 0, rowBackground = 0
                                for x in 0..<width {
                                    let v = Int(px[y * width + x]) + shift
                                    rowSum += v
                                    rowSquares += v * v
                                    rowBackground += isBackground[y * width + x] ? 1 : 0
                                    let cell = (y + 1) * tableWidth + x + 1
                                    sums[cell] = sums[cell - tableWidth] + rowSum
                                    squares[cell] = squares[cell - tableWidth] + rowSquares
                                    background[cell] = background[cell - tableWidth] + rowBackground
                                }
                            }
                        }
                    }
                }
            }
            func total(_ table: [Int], _ x: Int, _ y: Int) -> Int {
                let (top, bottom) = (y * tableWidth, (y + side) * tableWidth)
                return table[bottom + x + side] - table[bottom + x] - table[top + x + side] + table[top + x]
            }
            totals = { x, y in (total(sums, x, y), total(squares, x, y), total(background, x, y)) }
        }

        let area = Double(side * side)
        var candidates: [(region: Region, cv: Double, background: Double)] = []
        for y in ys {
            for x in xs {
                let block = totals(x, y)
                let mean = Double(block.sum) / area
                let variance = max(Double(block.squares) / area - mean * mean, 0)
                let cv = mean > 0 ? variance.squareRoot() / mean : 0
                candidates.append((Region(x: x, y: y, width: side, height: side), cv, Double(block.background) / area))
            }
        }
        // On the anatomy: at most 10 % background; when no candidate is (a small body, lungs), the
        // cleanest ones compete instead.
        let leastBackground = candidates.map(\.background).min() ?? 0
        let limit = max(configuration.maximumKeyRegionBackground, leastBackground + configuration.keyRegionBackgroundSlack)
        return candidates.filter { $0.background <= limit }.max { $0.cv < $1.cv }!.region
    }

    /// The share of `region`'s pixels above the frame's background level (Otsu's threshold, as the
    /// key region's choice uses it): 1 when the region lies wholly on the anatomy.
    package static func foregroundShare(of region: Region, in frame: Frame, highValuesAreBackground: Bool = false) -> Double {
        guard !region.isEmpty, frame.bounds.contains(region), frame.isWithinFormat else { return 0 }
        let isBackground = backgroundMask(frame, highValuesAreBackground: highValuesAreBackground)
        var foreground = 0
        for row in region.y..<region.maxY {
            for i in (row * frame.width + region.x)..<(row * frame.width + region.maxX) where !isBackground[i] { foreground += 1 }
        }
        return Double(foreground) / Double(region.width * region.height)
    }

    /// Per pixel, whether it is background: on the background side of Otsu's threshold and
    /// connected (4-neighbourhood) to the frame's border through such pixels.
    static func backgroundMask(_ frame: Frame, highValuesAreBackground: Bool, enclosedIsAnatomy: Bool = true) -> [Bool] {
        let shift = -Int(frame.format.minValue)
        let level = backgroundLevel(frame, shift: shift, highValuesAreBackground: highValuesAreBackground)
        let (width, height) = (frame.width, frame.height)
        var candidate = [Bool](repeating: false, count: width * height)
        frame.samples.withUnsafeBufferPointer { px in
            for i in 0..<px.count {
                let v = Int(px[i]) + shift
                candidate[i] = highValuesAreBackground ? v > level : v <= level
            }
        }
        guard enclosedIsAnatomy else { return candidate }
        let count = width * height
        var background = [Bool](repeating: false, count: count)
        var stack = [Int](repeating: 0, count: count)
        candidate.withUnsafeBufferPointer { candidate in
            background.withUnsafeMutableBufferPointer { background in
                stack.withUnsafeMutableBufferPointer { stack in
                    var top = 0
                    // Every pixel is pushed at most once (marked when pushed), so `count` entries suffice.
                    let border = Array(0..<width) + Array((count - width)..<count)
                        + Swift.stride(from: width, to: count - width, by: width).flatMap { [$0, $0 + width - 1] }
                    for i in border where candidate[i] && !background[i] {
                        background[i] = true
                        stack[top] = i
                        top += 1
                    }
                    while top > 0 {
                        top -= 1
                        let i = stack[top]
                        let x = i % width
                        if x > 0, candidate[i - 1], !background[i - 1] { background[i - 1] = true; stack[top] = i - 1; top += 1 }
                        if x + 1 < width, candidate[i + 1], !background[i + 1] { background[i + 1] = true; stack[top] = i + 1; top += 1 }
                        if i >= width, candidate[i - width], !background[i - width] { background[i - width] = true; stack[top] = i - width; top += 1 }
                        if i + width < count, candidate[i + width], !background[i + width] { background[i + width] = true; stack[top] = i + width; top += 1 }
                    }
                }
            }
        }
        return background
    }

    /// Otsu's threshold on the shifted values: the level that best splits the histogram in two
    /// classes (maximum between-class variance). Values at or below it count as background.
    private static func backgroundLevel(_ frame: Frame, shift: Int, highValuesAreBackground: Bool = false) -> Int {
        var histogram = [Int](repeating: 0, count: 1 << frame.format.bitsStored)
        histogram.withUnsafeMutableBufferPointer { histogram in
            frame.samples.withUnsafeBufferPointer { px in
                for v in px { histogram[Int(v) + shift] += 1 }
            }
        }
        // The darkest value is left out of the split: scanners pad outside the field of view with
        // one value (CT: −2000), whose spike would otherwise make Otsu split padding from air.
        if highValuesAreBackground {
            if let brightest = histogram.lastIndex(where: { $0 > 0 }) { histogram[brightest] = 0 }
        } else if let darkest = histogram.firstIndex(where: { $0 > 0 }) { histogram[darkest] = 0 }
        let count = Double(histogram.reduce(0, +))
        var totalSum = 0.0
        for (value, n) in histogram.enumerated() { totalSum += Double(value) * Double(n) }
        var below = 0.0, belowSum = 0.0
        var best = (level: 0, score: -1.0)
        for (value, n) in histogram.enumerated() where n > 0 {
            below += Double(n)
            belowSum += Double(value) * Double(n)
            let above = count - below
            guard above > 0 else { break }
            let difference = belowSum / below - (totalSum - belowSum) / above
            let score = below * above * difference * difference
            if score > best.score { best = (value, score) }
        }
        return best.level
    }

    static func validateKeyRegion(_ region: Region, in frame: Frame) throws(EngineError) {
        guard !region.isEmpty else { throw .invalidKeyRegion(region, reason: "empty") }
        guard frame.bounds.contains(region) else { throw .invalidKeyRegion(region, reason: "outside the \(frame.width)×\(frame.height) frame") }
        guard region.maxX <= Int(UInt16.max), region.maxY <= Int(UInt16.max) else {
            throw .invalidKeyRegion(region, reason: "beyond 65535 pixels")
        }
    }
}
