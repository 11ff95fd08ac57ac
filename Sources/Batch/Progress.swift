import Foundation

/// Tells the operator how a run is going, on standard error: a redrawn bar with counts, rate and
/// ETA on a terminal; one plain line every few seconds otherwise (a cron job's mail or log);
/// nothing with `--quiet`; a line per file with `--verbose`. Failures are always printed, unless
/// quiet, as they happen.
package final class ProgressDisplay {
    package enum Verbosity: Sendable { case quiet, normal, verbose }

    let verbosity: Verbosity
    let isTerminal: Bool
    let label: String
    private var total: Int?
    private var done = 0
    private var counts: [ManifestRecord.Status: Int] = [:]
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private var barShown = false

    package init(label: String, verbosity: Verbosity, isTerminal: Bool = isatty(2) == 1) {
        self.label = label
        self.verbosity = verbosity
        self.isTerminal = isTerminal
    }

    /// Whether a first pass counting the inputs is worth it (for the percentage and ETA).
    var wantsTotal: Bool { verbosity != .quiet }

    func begin(total: Int?) {
        self.total = total
    }

    func finished(_ record: ManifestRecord, unchanged: Bool) {
        done += 1
        counts[record.status, default: 0] += 1
        switch verbosity {
        case .quiet: return
        case .verbose:
            let what = unchanged ? "unchanged" : record.status.rawValue
            let detail = record.reason.map { ": \($0)" } ?? ""
            line("\(what) \(record.input)\(record.output.map { " -> \($0)" } ?? "")\(detail)")
        case .normal:
            if record.status == .failed { line("failed \(record.input): \(record.reason ?? "")") }
        }
        let now = Date()
        if now.timeIntervalSince(lastDrawn) >= (isTerminal ? 0.2 : 5) {
            lastDrawn = now
            draw(now)
        }
    }

    /// A message that must not be overwritten by the bar.
    package func line(_ text: String) {
        guard verbosity != .quiet else { return }
        write((barShown ? "\r\u{1B}[K" : "") + text + "\n")
        barShown = false
        if isTerminal { draw(Date()) }
    }

    func end(_ summary: RunSummary) {
        guard verbosity != .quiet else { return }
        var text = summary.text
        // The total comes from a first walk: files removed or added before the real walk reached
        // them make it differ from the inputs counted, which say what was done.
        if let total, total != summary.inputs, summary.interruptedBy == nil {
            text += "\n\(total) files were counted at the start; \(abs(total - summary.inputs)) "
                + (total > summary.inputs ? "were removed before the run reached them" : "appeared during the run")
        }
        write((barShown ? "\r\u{1B}[K" : "") + text + "\n")
        barShown = false
    }

    private func draw(_ now: Date) {
        guard verbosity != .quiet, done > 0 || isTerminal else { return }
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var position = "\(done)"
        var eta = ""
        if let total, total > 0 {
            position += "/\(total) (\(done * 100 / total)%)"
            if rate > 0, done < total { eta = ", ETA " + RunSummary.duration(Double(total - done) / rate) }
        }
        let tallies = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        let text = "\(position) files, \(String(format: "%.1f", rate)) files/s\(eta)" + (tallies.isEmpty ? "" : " [\(tallies)]")
        if isTerminal {
            let width = 24
            let filled = total.map { $0 > 0 ? min(width, done * width / $0) : 0 } ?? 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\u{1B}[K[\(bar)] " + text)
            barShown = true
        } else {
            write("dcmveil \(label): \(text)\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
