/// One configuration the planner may try.
struct PlanCandidate: Equatable {
    var threshold: Int
    var range: ExpansionRange
    var passes: Int
}

/// The marked frame before the key region is blanked and the blocks scrambled.
struct EmbeddingOutcome {
    var samples: [Int32]
    var candidate: PlanCandidate
    var sideBlockCount: Int
    var sideBits: Int
    var sealedBytes: Int
    var textureBlocks: Int
    var layerPixels: Int
}

/// Chooses T, [p, q] and the number of passes, and performs the embedding it settles on.
///
/// Candidates are ordered by expected distortion, least first: the narrowest range before wider
/// ones, fewer passes before more, and within those the highest threshold (fewest blocks touched)
/// first — so the paper's [−2, 2] with T from 50 down to 5 comes first when it fits. A candidate is
/// only tried (a full embedding) when a cheap estimate says it can carry the payload: the per-block
/// counts of `TextureStatistics` give a first pass's capacity for any T in O(log blocks); more passes
/// are assumed to add 70% each, corrected by what failed trials actually measured.
struct CapacityPlanner {
    let frame: Frame
    let layout: BlockLayout
    let statistics: TextureStatistics
    let maximumPasses: Int
    let thresholds: [Int]
    /// Builds and seals the payload for a candidate with S of a given number of blocks.
    let seal: (PlanCandidate, _ sideBlockCount: Int) throws -> [UInt8]

    /// Variances sorted descending, and per range the running capacity over blocks in that order.
    private let sortedVariances: [Double]
    private let runningCapacity: [[Int]]

    init(frame: Frame, layout: BlockLayout, statistics: TextureStatistics, maximumPasses: Int, thresholds: [Int],
         seal: @escaping (PlanCandidate, Int) throws -> [UInt8]) {
        self.frame = frame
        self.layout = layout
        self.statistics = statistics
        self.maximumPasses = maximumPasses
        self.thresholds = thresholds
        self.seal = seal
        let order = statistics.variances.indices.sorted { statistics.variances[$0] > statistics.variances[$1] }
        sortedVariances = order.map { statistics.variances[$0] }
        let rangeCount = statistics.ranges.count
        runningCapacity = (0..<rangeCount).map { r in
            var total = 0
            return [0] + order.map { block in
                total += Int(statistics.counts[block * rangeCount + r])
                return total
            }
        }
    }

    /// Estimated bits a candidate carries, before correction.
    func estimate(_ candidate: PlanCandidate, rangeIndex: Int) -> Int {
        let limit = Double(candidate.threshold) * frame.format.varianceScale
        // Number of blocks with variance > limit (the sorted array is descending).
        var (low, high) = (0, sortedVariances.count)
        while low < high {
            let middle = (low + high) / 2
            if sortedVariances[middle] > limit { low = middle + 1 } else { high = middle }
        }
        let firstPass = Double(runningCapacity[rangeIndex][low])
        return Int(firstPass * (1 + 0.7 * Double(candidate.passes - 1)))
    }

    /// Finds the least-distortion candidate that carries the payload and embeds it.
    /// `payloadBits` gives the sealed payload's size in bits for an S of so many blocks.
    func plan(payloadBits: (Int) -> Int) throws -> (EmbeddingOutcome, estimatedCapacity: Int, tried: Int, estimated: Int) {
        var correction = [[Double]](repeating: [Double](repeating: 1, count: maximumPasses + 1), count: statistics.ranges.count)
        var tried = 0, estimated = 0
        var bestCapacity = 0
        var mostPromising: (candidate: PlanCandidate, estimate: Int)?
        for (rangeIndex, range) in statistics.ranges.enumerated() {
            for passes in 1...maximumPasses {
                for threshold in thresholds {
                    let candidate = PlanCandidate(threshold: threshold, range: range, passes: passes)
                    let guessBlocks = initialSideBlocks(candidate)
                    let estimate = Int(Double(estimate(candidate, rangeIndex: rangeIndex)) * correction[rangeIndex][passes])
                    estimated += 1
                    if estimate > mostPromising?.estimate ?? -1 { mostPromising = (candidate, estimate) }
                    guard estimate >= payloadBits(guessBlocks) else { continue }
                    tried += 1
                    switch try attempt(candidate, sideBlocks: guessBlocks) {
                    case .fits(let outcome):
                        return (outcome, estimate, tried, estimated)
                    case .short(let capacity):
                        bestCapacity = max(bestCapacity, capacity)
                        if estimate > 0 { correction[rangeIndex][passes] *= max(Double(capacity) / Double(estimate), 0.05) }
                    }
                }
            }
        }
        // Estimates are rough: before refusing, try the candidate they rated highest.
        if let (candidate, estimate) = mostPromising, estimate < payloadBits(initialSideBlocks(candidate)) {
            tried += 1
            switch try attempt(candidate, sideBlocks: initialSideBlocks(candidate)) {
            case .fits(let outcome): return (outcome, estimate, tried, estimated)
            case .short(let capacity): bestCapacity = max(bestCapacity, capacity)
            }
        }
        throw EngineError.doesNotFit(neededBits: payloadBits(1), bestCapacityBits: bestCapacity, keyRegion: layout.keyRegion)
    }

    /// A first guess at the size of S, so that most attempts need a single embedding: the header,
    /// the texture map as it will be coded, and a little room per segment.
    private func initialSideBlocks(_ candidate: PlanCandidate) -> Int {
        var map = BitWriter()
        map.writeRuns(statistics.textureMap(threshold: candidate.threshold, format: frame.format, firstCandidate: 1))
        return SideInformation.blockCount(forBits: 96 + map.count + 24 * candidate.passes)
    }

    private enum Attempt {
        case fits(EmbeddingOutcome)
        case short(capacity: Int)
    }

    /// Embeds for real. S and the texture map depend on each other (S's blocks are not texture, and
    /// S must hold the map), so S grows until the side information fits in it.
    private func attempt(_ candidate: PlanCandidate, sideBlocks: Int) throws -> Attempt {
        var sideBlockCount = max(sideBlocks, 1)
        let expansion = PredictionErrorExpansion(width: frame.width, format: frame.format, range: candidate.range, passes: candidate.passes)
        while sideBlockCount < min(layout.usable.count, Int(UInt16.max)) {
            let map = statistics.textureMap(threshold: candidate.threshold, format: frame.format, firstCandidate: sideBlockCount)
            let layers = ExpansionLayers(layout: layout, sideBlockCount: sideBlockCount, textureMap: map)
            let sealed = try seal(candidate, sideBlockCount)
            var samples = frame.samples
            let (embedded, trace) = expansion.embed(into: &samples, layers: layers, payload: sealed, bitCount: sealed.count * 8)
            guard embedded == sealed.count * 8 else { return .short(capacity: embedded) }
            let side = SideInformation(payloadByteCount: sealed.count, textureMap: map, trace: trace)
            let needed = SideInformation.blockCount(forBits: side.bitCount())
            guard needed <= sideBlockCount else {
                sideBlockCount = needed
                continue
            }
            let (bits, bitCount) = side.encoded(blockCount: sideBlockCount)
            SideInformation.replaceLeastSignificantBits(of: &samples, blocks: layout.usable[..<sideBlockCount], layout: layout, with: bits, bitCount: bitCount)
            return .fits(EmbeddingOutcome(samples: samples, candidate: candidate, sideBlockCount: sideBlockCount, sideBits: bitCount,
                                          sealedBytes: sealed.count, textureBlocks: map.reduce(0) { $0 + Int($1) },
                                          layerPixels: layers.pixelCount))
        }
        return .short(capacity: 0)
    }
}
