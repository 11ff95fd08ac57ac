/// The key region `Engine.chooseKeyRegion` settled on.
package struct KeyRegionChoice: Sendable, Equatable {
    package var region: Region
    /// Share of the region on the anatomy (`Engine.foregroundShare`).
    package var foregroundShare: Double
}

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
        try chooseKeyRegion(for: frame, configuration: configuration).region
    }

    /// The key region and the share of it on the anatomy (`foregroundShare`), from one background mask.
    package static func chooseKeyRegion(for frame: Frame, configuration: EngineConfiguration) throws(EngineError) -> KeyRegionChoice {
        guard frame.isWithinFormat else { throw .samplesOutOfRange }
        let highValuesAreBackground = configuration.highValuesAreBackground
        let isBackground = backgroundMask(frame, highValuesAreBackground: highValuesAreBackground,
                                          enclosedIsAnatomy: configuration.enclosedBackgroundIsAnatomy)
        func choice(_ region: Region) -> KeyRegionChoice {
            // The share is always judged with enclosed dark areas as anatomy, whatever the choice used.
            let mask = configuration.enclosedBackgroundIsAnatomy ? isBackground
                : backgroundMask(frame, highValuesAreBackground: highValuesAreBackground)
            return KeyRegionChoice(region: region, foregroundShare: foregroundShare(of: region, width: frame.width, isBackground: mask))
        }
        if let explicit = configuration.explicitKeyRegion {
            try validateKeyRegion(explicit, in: frame)
            return choice(explicit)
        }
        let side = configuration.keyRegionSide ?? configuration.automaticKeyRegionSide(width: frame.width, height: frame.height)
        let minimumFrameSide = side + 2 * BlockLayout.side
        guard min(frame.width, frame.height) >= minimumFrameSide else {
            throw .frameTooSmall(width: frame.width, height: frame.height, minimumSide: minimumFrameSide)
        }
        let stride = max(configuration.keyRegionStride ?? max(side / 4 / BlockLayout.side * BlockLayout.side, BlockLayout.side), 1)
        let shift = -Int(frame.format.minValue)

        // Candidates sit on a grid of `stride` and span `side`, so each is a union of square cells of
        // gcd(stride, side) pixels: one pass sums value, value² and background per cell, and a
        // summed-area table over the cells gives every candidate in O(1).
        let (width, height) = (frame.width, frame.height)
        let cell = greatestCommonDivisor(stride, side)
        let (cellColumns, cellRows) = (width / cell, height / cell)
        let tableWidth = cellColumns + 1
        var sums = [Int](repeating: 0, count: tableWidth * (cellRows + 1))
        var squares = sums
        var background = sums
        frame.samples.withUnsafeBufferPointer { px in
            isBackground.withUnsafeBufferPointer { isBackground in
                sums.withUnsafeMutableBufferPointer { sums in
                    squares.withUnsafeMutableBufferPointer { squares in
                        background.withUnsafeMutableBufferPointer { background in
                            // Per cell first (the table's cells one row down and right), then cumulated.
                            for y in 0..<(cellRows * cell) {
                                let row = (y / cell + 1) * tableWidth + 1
                                for cx in 0..<cellColumns {
                                    var sum = 0, square = 0, dark = 0
                                    let start = y * width + cx * cell
                                    for i in start..<(start + cell) {
                                        let v = Int(px[i]) &+ shift
                                        sum &+= v
                                        square &+= v &* v
                                        dark &+= isBackground[i] ? 1 : 0
                                    }
                                    sums[row + cx] &+= sum
                                    squares[row + cx] &+= square
                                    background[row + cx] &+= dark
                                }
                            }
                            for table in [sums, squares, background] {
                                for cy in 1...cellRows {
                                    for cx in 1...cellColumns {
                                        let i = cy * tableWidth + cx
                                        table[i] &+= table[i - 1] &+ table[i - tableWidth] &- table[i - tableWidth - 1]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let span = side / cell
        func total(_ table: [Int], _ x: Int, _ y: Int) -> Int {
            let (left, top) = (x / cell, y / cell)
            let (upper, lower) = (top * tableWidth, (top + span) * tableWidth)
            return table[lower + left + span] - table[lower + left] - table[upper + left + span] + table[upper + left]
        }

        let area = Double(side * side)
        var candidates: [(region: Region, cv: Double, background: Double)] = []
        for y in Swift.stride(from: 0, through: height - side, by: stride) {
            for x in Swift.stride(from: 0, through: width - side, by: stride) {
                let mean = Double(total(sums, x, y)) / area
                let variance = max(Double(total(squares, x, y)) / area - mean * mean, 0)
                let cv = mean > 0 ? variance.squareRoot() / mean : 0
                candidates.append((Region(x: x, y: y, width: side, height: side), cv, Double(total(background, x, y)) / area))
            }
        }
        // On the anatomy: at most 10 % background; when no candidate is (a small body, lungs), the
        // cleanest ones compete instead.
        let leastBackground = candidates.map(\.background).min() ?? 0
        let limit = max(configuration.maximumKeyRegionBackground, leastBackground + configuration.keyRegionBackgroundSlack)
        return choice(candidates.filter { $0.background <= limit }.max { $0.cv < $1.cv }!.region)
    }

    private static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int { b == 0 ? a : greatestCommonDivisor(b, a % b) }

    /// The share of `region`'s pixels above the frame's background level (Otsu's threshold, as the
    /// key region's choice uses it): 1 when the region lies wholly on the anatomy.
    package static func foregroundShare(of region: Region, in frame: Frame, highValuesAreBackground: Bool = false) -> Double {
        guard !region.isEmpty, frame.bounds.contains(region), frame.isWithinFormat else { return 0 }
        return foregroundShare(of: region, width: frame.width, isBackground: backgroundMask(frame, highValuesAreBackground: highValuesAreBackground))
    }

    private static func foregroundShare(of region: Region, width: Int, isBackground: [Bool]) -> Double {
        var foreground = 0
        for row in region.y..<region.maxY {
            for i in (row * width + region.x)..<(row * width + region.maxX) where !isBackground[i] { foreground += 1 }
        }
        return Double(foreground) / Double(region.width * region.height)
    }

    /// Per pixel, whether it is background: on the background side of Otsu's threshold and
    /// connected (4-neighbourhood) to the frame's border through such pixels.
    static func backgroundMask(_ frame: Frame, highValuesAreBackground: Bool, enclosedIsAnatomy: Bool = true) -> [Bool] {
        let shift = -Int(frame.format.minValue)
        let level = backgroundLevel(frame, shift: shift, highValuesAreBackground: highValuesAreBackground)
        let (width, height) = (frame.width, frame.height)
        let count = width * height
        // Compared on the stored values, so the loop has no branch and no widening.
        let threshold = Int32(clamping: level - shift)
        let candidate = [Bool](unsafeUninitializedCapacity: count) { candidate, initialized in
            frame.samples.withUnsafeBufferPointer { px in
                if highValuesAreBackground {
                    for i in 0..<count { candidate[i] = px[i] > threshold }
                } else {
                    for i in 0..<count { candidate[i] = px[i] <= threshold }
                }
            }
            initialized = count
        }
        guard enclosedIsAnatomy, count > 0 else { return candidate }
        var background = [Bool](repeating: false, count: count)
        candidate.withUnsafeBufferPointer { candidate in
            background.withUnsafeMutableBufferPointer { background in
                // Scanline fill from every candidate pixel on the border: a run along its row, then
                // the runs above and below it are seeded. Seeds are (x, y), so no division per pixel.
                var seeds: [(x: Int, y: Int)] = []
                func seed(_ x: Int, _ y: Int) {
                    let i = y * width + x
                    if candidate[i] && !background[i] { seeds.append((x, y)) }
                }
                for x in 0..<width { seed(x, 0); seed(x, height - 1) }
                for y in 0..<height { seed(0, y); seed(width - 1, y) }
                while let (x, y) = seeds.popLast() {
                    let row = y * width
                    guard !background[row + x] else { continue }
                    var (left, right) = (x, x)
                    while left > 0 && candidate[row + left - 1] && !background[row + left - 1] { left -= 1 }
                    while right + 1 < width && candidate[row + right + 1] && !background[row + right + 1] { right += 1 }
                    for i in (row + left)...(row + right) { background[i] = true }
                    for next in Swift.stride(from: y - 1, through: y + 1, by: 2) where next >= 0 && next < height {
                        let nextRow = next * width
                        var inRun = false
                        for nx in left...right {
                            let open = candidate[nextRow + nx] && !background[nextRow + nx]
                            if open && !inRun { seeds.append((nx, next)) }
                            inRun = open
                        }
                    }
                }
            }
        }
        return background
    }

    /// Otsu's threshold on the shifted values: the level that best splits the histogram in two
    /// classes (maximum between-class variance). Values at or below it count as background.
    private static func backgroundLevel(_ frame: Frame, shift: Int, highValuesAreBackground: Bool = false) -> Int {
        // Counted into two tables, even and odd samples apart: neighbours often share a value, and
        // one table's increments would then wait on each other.
        let bins = 1 << frame.format.bitsStored
        var counts = [UInt32](repeating: 0, count: 2 * bins)
        counts.withUnsafeMutableBufferPointer { counts in
            frame.samples.withUnsafeBufferPointer { px in
                var i = 0
                while i + 1 < px.count {
                    counts[Int(px[i]) &+ shift] &+= 1
                    counts[bins &+ Int(px[i &+ 1]) &+ shift] &+= 1
                    i &+= 2
                }
                if i < px.count { counts[Int(px[i]) &+ shift] &+= 1 }
            }
        }
        var histogram = (0..<bins).map { Int(counts[$0]) + Int(counts[bins + $0]) }
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
