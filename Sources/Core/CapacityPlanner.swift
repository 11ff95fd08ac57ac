#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One configuration the planner may try.
struct PlanCandidate: Equatable {
    var threshold: Int
    /// Index of `range` in the planner's ladder.
    var rangeIndex: Int
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
/// Candidates are ordered by expected distortion, least first: fewer passes before more, within a
/// pass count the narrowest range first, and within those the highest threshold (fewest blocks
/// touched) — so the paper's [−2, 2] with T from 50 down to 5 comes first when it fits. Passes
/// come first because each pass disturbs every pixel it visits again, while a wider range carries
/// more bits per pixel and so stops sooner. Measured (MSE of the marked frame): noisy 12-bit CT
/// [−16, 15]×3 ≈ 1080 against [−32, 31]×2 ≈ 710; MR 1024² [0, 15]×4 457 against [0, 63]×2 295;
/// CR 1760² [−2, 2]×2 5.4 against [−8, 7]×1 3.7. Fewer passes are also faster to embed and extract. A candidate is
/// only tried (a full embedding) when a cheap estimate says it can carry the payload: the per-block
/// counts of `TextureStatistics`, summed over eligible blocks in order of variance, give a first
/// pass's capacity for any T in O(log blocks). Later passes carry less (their predictors see
/// already-expanded neighbours): pass j is assumed to add 0.6^(j−1) of the first, and failed trials
/// correct the estimate for their range and pass count.
struct CapacityPlanner {
    let frame: Frame
    let layout: BlockLayout
    let statistics: TextureStatistics
    let maximumPasses: Int
    let thresholds: [Int]
    /// See `EngineConfiguration.lastResortReach`.
    var lastResortReach: Double? = nil
    /// Builds and seals the payload for a candidate with S of a given number of blocks.
    let seal: (PlanCandidate, _ sideBlockCount: Int) throws -> [UInt8]

    /// Usable blocks by variance, descending, with their variances and value ranges in that order.
    private let order: [Int]
    private let sortedVariances: [Double]
    private let sortedMinima: [Int32]
    private let sortedMaxima: [Int32]

    init(frame: Frame, layout: BlockLayout, statistics: TextureStatistics, maximumPasses: Int, thresholds: [Int],
         seal: @escaping (PlanCandidate, Int) throws -> [UInt8]) {
        self.frame = frame
        self.layout = layout
        self.statistics = statistics
        self.maximumPasses = maximumPasses
        self.thresholds = thresholds
        self.seal = seal
        let variances = statistics.variances
        order = variances.withUnsafeBufferPointer { variances in variances.indices.sorted { variances[$0] > variances[$1] } }
        sortedVariances = order.map { statistics.variances[$0] }
        sortedMinima = order.map { statistics.minima[$0] }
        sortedMaxima = order.map { statistics.maxima[$0] }
    }

    /// First-pass capacity of the blocks eligible for `passes` of `range`, running over the blocks
    /// in order of decreasing variance: entry n covers the first n blocks. `counts` are the range's
    /// per-block counts in that order.
    private func runningCapacity(_ counts: [Int32], range: ExpansionRange, passes: Int) -> [Int] {
        // `statistics.isEligible`, with its bounds computed once.
        let lowest = Int32(clamping: Int(frame.format.minValue) - passes * range.p)
        let highest = Int32(clamping: Int(frame.format.maxValue) - passes * (range.q + 1))
        return [Int](unsafeUninitializedCapacity: order.count + 1) { running, initialized in
            counts.withUnsafeBufferPointer { counts in
                sortedMinima.withUnsafeBufferPointer { minima in
                    sortedMaxima.withUnsafeBufferPointer { maxima in
                        var total = 0
                        running[0] = 0
                        for n in 0..<counts.count {
                            total += minima[n] >= lowest && maxima[n] <= highest ? Int(counts[n]) : 0
                            running[n + 1] = total
                        }
                    }
                }
            }
            initialized = order.count + 1
        }
    }

    /// Estimated bits the candidate's first pass carries (the blocks above its threshold that stay
    /// clear of the overflow zone for its passes). Depends only on the original frame.
    private func firstPassEstimate(_ candidate: PlanCandidate, runningCapacity: [Int]) -> Int {
        let limit = statistics.varianceLimit(threshold: candidate.threshold)
        // Number of blocks with variance > limit (the sorted array is descending).
        var (low, high) = (0, sortedVariances.count)
        while low < high {
            let middle = (low + high) / 2
            if sortedVariances[middle] > limit { low = middle + 1 } else { high = middle }
        }
        return runningCapacity[low]
    }

    struct Plan {
        var outcome: EmbeddingOutcome
        /// The chosen candidate's estimate before any correction from failed trials: a function of
        /// the original frame alone, so identical inputs report identical figures.
        var estimatedCapacity: Int
        var candidatesEstimated: Int
        var candidatesTried: Int
    }

    /// Finds the least-distortion candidate that carries the payload and embeds it.
    /// `payloadBits` gives the sealed payload's size in bits for an S of so many blocks.
    func plan(clock: inout Stopwatch, payloadBits: (Int) -> Int) throws -> Plan {
        // Per range: how far trials fell short of the estimate (first-pass counts on the original
        // frame run high by a similar factor whatever the pass count).
        var correction = [Double](repeating: 1, count: statistics.ranges.count)
        // Per range: the last failed trial with every pass measured, to extrapolate to more passes.
        var measured = [Measurement?](repeating: nil, count: statistics.ranges.count)
        var tried = 0, estimated = 0
        var shortest: (capacity: Int, needed: Int)?
        var mostPromising: (candidate: PlanCandidate, estimate: Int, firstPass: Int)?
        func attempt(_ candidate: PlanCandidate, estimate: Int, firstPass: Int) throws -> EmbeddingOutcome? {
            tried += 1
            let result = try self.attempt(candidate, clock: &clock)
            switch result {
            case .fits(let outcome):
                return outcome
            case .short(let capacity, let needed, let perPass):
                if capacity > shortest?.capacity ?? -1 { shortest = (capacity, needed) }
                if estimate > 0 { correction[candidate.rangeIndex] *= max(Double(capacity) / Double(estimate), 0.05) }
                if perPass.count == candidate.passes, perPass.count >= 2, firstPass > 0 {
                    measured[candidate.rangeIndex] = Measurement(threshold: candidate.threshold, perPass: perPass, firstPassEstimate: firstPass)
                }
                return nil
            }
        }
        let smallestPayload = payloadBits(1)
        var counts = [[Int32]?](repeating: nil, count: statistics.ranges.count)
        for passes in 1...maximumPasses {
            for (rangeIndex, range) in statistics.ranges.enumerated() {
                let running = clock.time("planner estimates") { () -> [Int] in
                    if counts[rangeIndex] == nil {
                        let unordered = statistics.capacityCounts(for: range)
                        counts[rangeIndex] = order.map { unordered[$0] }
                    }
                    return runningCapacity(counts[rangeIndex]!, range: range, passes: passes)
                }
                for threshold in thresholds {
                    let candidate = PlanCandidate(threshold: threshold, rangeIndex: rangeIndex, range: range, passes: passes)
                    let firstPass = firstPassEstimate(candidate, runningCapacity: running)
                    let passFactor = (1 - pow(0.6, Double(passes))) / 0.4
                    var estimate = Int(Double(firstPass) * passFactor * correction[rangeIndex])
                    var margin = 1.0
                    if let trial = measured[rangeIndex], let extrapolated = trial.extrapolate(to: candidate, firstPassEstimate: firstPass) {
                        estimate = extrapolated
                        margin = Self.extrapolationMargin
                    }
                    estimated += 1
                    if estimate > mostPromising?.estimate ?? -1 { mostPromising = (candidate, estimate, firstPass) }
                    guard estimate >= smallestPayload,
                          Double(estimate) >= margin * Double(payloadBits(initialSideBlocks(candidate))) else { continue }
                    if let outcome = try attempt(candidate, estimate: estimate, firstPass: firstPass) {
                        return Plan(outcome: outcome, estimatedCapacity: Int(Double(firstPass) * passFactor),
                                    candidatesEstimated: estimated, candidatesTried: tried)
                    }
                }
            }
        }
        // Estimates are rough: before refusing, try the candidate they rated highest if it was not tried
        // (and, with `lastResortReach`, if its estimate comes close enough).
        if let (candidate, estimate, firstPass) = mostPromising, estimate < payloadBits(initialSideBlocks(candidate)),
           Double(estimate) * (lastResortReach ?? .infinity) >= Double(payloadBits(initialSideBlocks(candidate))),
           let outcome = try attempt(candidate, estimate: estimate, firstPass: firstPass) {
            let passFactor = (1 - pow(0.6, Double(candidate.passes))) / 0.4
            return Plan(outcome: outcome, estimatedCapacity: Int(Double(firstPass) * passFactor),
                        candidatesEstimated: estimated, candidatesTried: tried)
        }
        throw EngineError.doesNotFit(neededBits: shortest?.needed ?? smallestPayload, bestCapacityBits: shortest?.capacity ?? 0,
                                     keyRegion: layout.keyRegion)
    }

    /// How far an extrapolated estimate must clear the payload before the candidate is tried. Added
    /// passes shrink the eligible blocks and decay faster than the trial's last ratio, so
    /// extrapolations run a few percent high; trials of many passes that fall just short cost the
    /// most (on noisy 16-bit CT a 7-pass trial short by 6% took longer than the rest of protect).
    static let extrapolationMargin = 1.05

    /// A failed trial's bits per pass. Passes on noisy data carry far less than the estimate's
    /// 0.6 decay assumes, so a candidate with the same range and threshold and more passes is
    /// estimated from what the trial measured: its passes, then further passes decaying at the
    /// rate of its last two, scaled by how the first-pass estimates of the blocks eligible for
    /// each pass count compare.
    struct Measurement {
        var threshold: Int
        var perPass: [Int]
        var firstPassEstimate: Int

        func extrapolate(to candidate: PlanCandidate, firstPassEstimate estimate: Int) -> Int? {
            guard candidate.threshold == threshold, candidate.passes > perPass.count, let last = perPass.last else { return nil }
            let previous = perPass[perPass.count - 2]
            let ratio = previous > 0 ? min(max(Double(last) / Double(previous), 0), 0.95) : 0
            var total = Double(perPass.reduce(0, +)), next = Double(last)
            for _ in perPass.count..<candidate.passes {
                next *= ratio
                total += next
            }
            return Int(total * Double(estimate) / Double(firstPassEstimate))
        }
    }

    /// A first guess at the size of S, so that most attempts need a single embedding: the header,
    /// the texture map as it will be coded, and a little room per segment.
    private func initialSideBlocks(_ candidate: PlanCandidate) -> Int {
        var map = BitWriter()
        map.writeRuns(statistics.textureMap(candidate, firstCandidate: 1))
        return SideInformation.blockCount(forBits: 96 + map.count + 24 * candidate.passes)
    }

    private enum Attempt {
        case fits(EmbeddingOutcome)
        /// `perPass`: bits each pass carried (empty when S could not hold the side information).
        case short(capacity: Int, needed: Int, perPass: [Int])
    }

    /// Embeds for real. S and the texture map depend on each other (S's blocks are not texture, and
    /// S must hold the map), so S grows until the side information fits in it.
    private func attempt(_ candidate: PlanCandidate, clock: inout Stopwatch) throws -> Attempt {
        var sideBlockCount = initialSideBlocks(candidate)
        let expansion = PredictionErrorExpansion(width: frame.width, format: frame.format, range: candidate.range, passes: candidate.passes)
        var neededBits = 0
        while sideBlockCount < min(layout.usable.count, Int(UInt16.max)) {
            let (map, layers) = clock.time("texture map + layers") { () -> ([UInt8], ExpansionLayers) in
                let map = statistics.textureMap(candidate, firstCandidate: sideBlockCount)
                return (map, ExpansionLayers(layout: layout, sideBlockCount: sideBlockCount, textureMap: map))
            }
            let sealed = try clock.time("payload + AES-GCM seal") { try seal(candidate, sideBlockCount) }
            neededBits = sealed.count * 8
            var samples = frame.samples
            let (embedded, trace, segmentBits) = clock.time("PEE embed") { expansion.embedCounting(into: &samples, layers: layers, payload: sealed, bitCount: sealed.count * 8) }
            guard embedded == sealed.count * 8 else {
                let perPass = (0..<candidate.passes).map { segmentBits[2 * $0] + segmentBits[2 * $0 + 1] }
                return .short(capacity: embedded, needed: sealed.count * 8, perPass: perPass)
            }
            let side = SideInformation(payloadByteCount: sealed.count, textureMap: map, trace: trace)
            let needed = SideInformation.blockCount(forBits: side.bitCount())
            guard needed <= sideBlockCount else {
                sideBlockCount = needed
                continue
            }
            let (bits, bitCount) = clock.time("side information") { () -> ([UInt8], Int) in
                let (bits, bitCount) = side.encoded(blockCount: sideBlockCount)
                SideInformation.replaceLeastSignificantBits(of: &samples, blocks: layout.usable[..<sideBlockCount], layout: layout, with: bits, bitCount: bitCount)
                return (bits, bitCount)
            }
            _ = bits
            return .fits(EmbeddingOutcome(samples: samples, candidate: candidate, sideBlockCount: sideBlockCount, sideBits: bitCount,
                                          sealedBytes: sealed.count, textureBlocks: map.reduce(0) { $0 + Int($1) },
                                          layerPixels: layers.pixelCount))
        }
        // S would swallow the frame: the side information alone does not fit.
        return .short(capacity: 0, needed: neededBits, perPass: [])
    }
}
