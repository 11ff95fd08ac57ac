/// A prediction-error range [p, q]: errors inside it are expanded to carry one bit each.
package struct ExpansionRange: Sendable, Hashable, CustomStringConvertible {
    package var p: Int
    package var q: Int

    package init(p: Int, q: Int) {
        self.p = p
        self.q = q
    }

    /// The paper's range.
    package static let paper = ExpansionRange(p: -2, q: 2)

    /// The planner's default order: the paper's [−2, 2], then [−4, 3], [−8, 7], … while
    /// q + 1 ≤ 2^(bitsStored−2) (each step roughly doubles the capacity of noisy data at the cost of
    /// larger shifts), then the one-sided [0, 3], [0, 7], … over the same span. With p = 0, negative
    /// errors are left alone and values only ever move up, so nothing can underflow: the one-sided
    /// ranges are what fits frames whose content sits near the format minimum (MR, CR, unsigned CT
    /// with zero padding), where the two-sided ones would need wide margins above it.
    package static func ladder(for format: SampleFormat) -> [ExpansionRange] {
        let limit = max(4, 1 << max(format.bitsStored - 2, 0))
        let spans = Array(sequence(first: 4) { $0 * 2 }.prefix { $0 <= limit })
        return [paper] + spans.map { ExpansionRange(p: -$0, q: $0 - 1) } + spans.map { ExpansionRange(p: 0, q: $0 - 1) }
    }

    package var description: String { "[\(p), \(q)]" }
}

/// How the engine chooses the key region and the embedding parameters.
package struct EngineConfiguration: Sendable {
    /// Side of the key region; nil = 160 at 512², scaled with the frame's smaller side.
    package var keyRegionSide: Int?
    /// The smallest key region the caller can use. The pipeline always sets it from its QR layout
    /// (`QRLayout.minimumKeyRegionSide`); the default is that value, for the engine's own callers.
    package var minimumKeyRegionSide: Int = 154
    /// Distance between key-region candidates; nil = a quarter of the side, rounded down to a
    /// multiple of 8 (the paper's non-overlapping grid put the region on the frame's edge).
    package var keyRegionStride: Int?
    /// The background is at the top of the value range (MONOCHROME1, whose high values display dark):
    /// the key region's choice counts the high side of Otsu's threshold as background.
    package var highValuesAreBackground = false
    /// Largest share of background a key-region candidate may have (when a candidate that clean
    /// exists; else those within `keyRegionBackgroundSlack` of the cleanest compete).
    package var maximumKeyRegionBackground = 0.1
    package var keyRegionBackgroundSlack = 0.05
    /// Background below Otsu's threshold but enclosed by the body (lungs, ventricles) counts as
    /// anatomy; false: every pixel below the threshold is background (the first rule).
    package var enclosedBackgroundIsAnatomy = true
    /// A clinician's choice, overriding the automatic selection.
    package var explicitKeyRegion: Region?
    /// Texture thresholds in 8-bit units, tried in this order for each range and pass count:
    /// the paper's 50…5 (higher = fewer blocks touched), then down to 0 (any non-flat block).
    package var thresholds: [Int] = Array(stride(from: 50, through: 5, by: -5)) + [4, 3, 2, 1, 0]
    /// Expansion ranges in the order the planner tries them; nil = `ExpansionRange.ladder(for:)`.
    package var expansionRanges: [ExpansionRange]?
    /// Most passes of embedding the planner may use with one range.
    package var maximumPasses: Int = 8
    /// When no candidate's estimate reaches the payload, the planner still tries the best-rated one
    /// (a full embedding) unless its estimate times this falls short too; nil: it always does.
    package var lastResortReach: Double?
    /// `lastResortReach` for callers with a fallback of their own. On the test samples such trials
    /// found at most 13 % more than the estimate, and those that fitted were rated ≥ 0.95 of the
    /// payload; the ones skipped are rated ≤ 0.86 (US1_UNCR: 0.86, found 0.81; 8-bit series ≤ 0.4).
    package static let fallbackLastResortReach = 1.15
    package var scramble: ScrambleKind = .arnold
    /// How key-region samples are laid out before compression.
    package var packing: SamplePacking = .medPlanar

    package init() {}

    /// The automatic key-region side for a frame: 160 × (smaller side / 512), a multiple of 8,
    /// never below `minimumKeyRegionSide` (rounded up to a multiple of 8).
    package func automaticKeyRegionSide(width: Int, height: Int) -> Int {
        let scaled = Int((160.0 * Double(min(width, height)) / 512.0 / 8.0).rounded()) * 8
        let floor = (minimumKeyRegionSide + 7) / 8 * 8
        return max(scaled, floor)
    }
}
