/// What a threshold sweep shows, in words: the paper reports PSNR and SSIM rising with T (fewer
/// blocks carry payload), so the report says plainly when a sweep does, stays flat, or does not.
public enum SweepFinding: Equatable, Sendable {
    case noFit
    case flat
    case rising
    case notMonotone(firstDrop: Int)

    public init(_ sweep: [SweepPoint]) {
        let fits = sweep.compactMap { point in point.fit.map { (point.threshold, $0.quality.psnr) } }
        guard let first = fits.first else {
            self = .noFit
            return
        }
        if fits.allSatisfy({ abs($0.1 - first.1) < 1e-9 }) {
            self = .flat
        } else if let drop = zip(fits, fits.dropFirst()).first(where: { $1.1 < $0.1 - 1e-9 }) {
            self = .notMonotone(firstDrop: drop.1.0)
        } else {
            self = .rising
        }
    }

    public var description: String {
        switch self {
        case .noFit:
            "The payload fits at no threshold of the sweep."
        case .flat:
            "Flat: every threshold gives the same protected frame quality — the same blocks are texture at every T "
                + "(every block above the highest threshold, or the planner needing all of them)."
        case .rising:
            "PSNR rises (never falls) with T, as the paper reports: a higher threshold leaves fewer blocks to carry payload."
        case .notMonotone(let t):
            "Not monotone: PSNR first falls at T = \(t). With fewer texture blocks the planner may need a wider "
                + "range or more passes to fit the payload, which costs more than the blocks saved."
        }
    }
}
