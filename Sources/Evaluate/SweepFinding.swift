/// What a threshold sweep shows, in words. The paper reports PSNR and SSIM rising with T (fewer
/// blocks touched); the report says plainly whether a sweep does, and why not when it does not.
package struct SweepFinding: Equatable, Sendable {
    /// Differences smaller than this are the run-to-run variation of the random scramble key.
    package static let flatSpread = 0.1

    package enum Trend: Equatable, Sendable {
        case noFit, flat, rising
        case notMonotone(firstDrop: Int)
    }

    package var trend: Trend
    /// Thresholds at which the payload fit, of how many tried.
    package var fitting: [Int]
    package var tried: Int
    /// Highest minus lowest PSNR over the fitting thresholds, in dB.
    package var spread: Double

    package init(_ sweep: [SweepPoint]) {
        let fits = sweep.compactMap { point in point.fit.map { (t: point.threshold, psnr: $0.quality.psnr) } }
        fitting = fits.map(\.t)
        tried = sweep.count
        spread = (fits.map(\.psnr).max() ?? 0) - (fits.map(\.psnr).min() ?? 0)
        if fits.isEmpty {
            trend = .noFit
        } else if spread < Self.flatSpread {
            trend = .flat
        } else if let drop = zip(fits, fits.dropFirst()).first(where: { $1.psnr < $0.psnr - Self.flatSpread / 2 }) {
            trend = .notMonotone(firstDrop: drop.1.t)
        } else {
            trend = .rising
        }
    }

    package var description: String {
        let coverage = fitting.count == tried ? "" : "The payload fits at T = \(fitting.map(String.init).joined(separator: ", ")) only. "
        switch trend {
        case .noFit:
            return "The payload fits at no threshold of the sweep (the reasons are in the table), so protection went below "
                + "T = 5. On 12–16-bit data, T scaled by (2^(bits−8))² leaves few or no blocks counted as texture."
        case .flat:
            return coverage + "Flat (PSNR spread \(decibels(spread))): the QR code and the scrambling dominate the distortion, "
                + "and dcmveil scrambles every non-flat block whatever T (SPEC §3 step 5), where the paper scrambles the "
                + "texture area T selects, so its images improve as T rises. What varies is the embedding's share, "
                + "within the run-to-run variation of the random scramble key."
        case .rising:
            return coverage + "PSNR rises with T (spread \(decibels(spread))), as the paper reports: fewer blocks carry payload."
        case .notMonotone(let t):
            return coverage + "Not monotone (spread \(decibels(spread))): PSNR falls at T = \(t). With fewer texture blocks "
                + "the planner may need a wider range or more passes to fit the payload, which costs more than the blocks saved."
        }
    }

    private func decibels(_ value: Double) -> String {
        "\((value * 100).rounded() / 100) dB"
    }
}
