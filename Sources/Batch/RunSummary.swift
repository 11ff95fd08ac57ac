import Foundation
import VeilPipeline

/// What one run did, for the final summary line and `run.json`. Run metadata lives here and not in
/// the manifest, so that the manifest stays identical between runs over the same data.
package struct RunSummary: Sendable {
    package static let fileName = "run.json"

    package var operation: Operation
    /// Records by status, of the inputs this run found.
    package var counts: [ManifestRecord.Status: Int] = [:]
    /// The same by series: the folder holding the input (a series, in TCIA-style trees), so an
    /// operator sees which series had failures without reading the manifest.
    package var series: [String: [ManifestRecord.Status: Int]] = [:]
    /// Inputs found by this run.
    package var inputs = 0
    /// Inputs whose output was already up to date.
    package var unchanged = 0
    /// Dry run: inputs that would have been processed.
    package var wouldProcess = 0
    package var dryRun = false
    /// Inputs listed in the last manifest but not found this time (their outputs are kept).
    package var disappeared: [String] = []
    /// Inputs the walk found but that were gone when they were examined or read: they are among
    /// the `failed` records, with the reason `ManifestRecord.disappearedReason`.
    package var disappearedDuringRun: [String] = []
    /// Outputs removed by `--prune`.
    package var pruned = 0
    package var bytesRead = 0
    package var bytesWritten = 0
    package var started = Date()
    package var finished = Date()
    /// The signal that stopped the run early, if one did.
    package var interruptedBy: Int32?

    package var duration: TimeInterval { finished.timeIntervalSince(started) }

    /// Counts a finished input.
    mutating func add(_ record: ManifestRecord) {
        counts[record.status, default: 0] += 1
        let folder = record.input.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        series[folder.isEmpty ? "." : folder, default: [:]][record.status, default: 0] += 1
        if record.status == .failed && record.reason == ManifestRecord.disappearedReason { disappearedDuringRun.append(record.input) }
    }

    /// Inputs per second over the whole run.
    package var rate: Double { duration > 0 ? Double(inputs) / duration : 0 }

    /// The summary an operator reads at the end of a run.
    package var text: String {
        let statuses: [ManifestRecord.Status] = operation == .protect
            ? [.protected, .headerOnly, .skipped, .failed] : [.restored, .reidentified, .skipped, .failed]
        var parts = statuses.map { "\(counts[$0, default: 0]) \($0.rawValue)" }
        parts.append("\(unchanged) unchanged")
        if dryRun { parts.insert("dry run, nothing written: \(wouldProcess) would be processed", at: 0) }
        var text = "dcmveil \(operation.rawValue): \(inputs) inputs in \(series.count) series: " + parts.joined(separator: ", ")
        text += String(format: "; %@ read, %@ written in %@ (%.1f files/s)",
                       Self.bytes(bytesRead), Self.bytes(bytesWritten), Self.duration(duration), rate)
        let failing = series.filter { $0.value[.failed, default: 0] > 0 }.keys.sorted()
        if !failing.isEmpty {
            text += "\nseries with failures: " + failing.prefix(5).joined(separator: ", ")
                + (failing.count > 5 ? " and \(failing.count - 5) more (see run.json)" : "")
        }
        if !disappearedDuringRun.isEmpty {
            text += "\n\(disappearedDuringRun.count) inputs disappeared during the run (recorded as failed)"
        }
        if !disappeared.isEmpty {
            text += "\n\(disappeared.count) inputs of the last manifest are gone" + (pruned > 0 ? "; \(pruned) outputs pruned" : "; their outputs are kept (--prune removes them)")
        }
        if let signal = interruptedBy {
            text += "\ninterrupted by signal \(signal): stopped after the files in flight; run again to finish"
        }
        return text
    }

    /// `run.json`: tool version, key fingerprint, options, counts, start and end.
    func json(keyFingerprint: String, options: [String: Any]) throws(BatchError) -> [UInt8] {
        let formatter = ISO8601DateFormatter()
        let object: [String: Any] = [
            "tool": "dcmveil \(ProtectedInstance.toolVersion)",
            "operation": operation.rawValue,
            "key_fingerprint": keyFingerprint,
            "options": options,
            "counts": Dictionary(uniqueKeysWithValues: ManifestRecord.Status.allCases.map { ($0.rawValue, counts[$0, default: 0]) }),
            "series": series.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.rawValue, $0.value) }) },
            "inputs": inputs,
            "unchanged": unchanged,
            "disappeared": disappeared,
            "disappeared_during_run": disappearedDuringRun.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
            "pruned": pruned,
            "bytes_read": bytesRead,
            "bytes_written": bytesWritten,
            "started": formatter.string(from: started),
            "finished": formatter.string(from: finished),
            "duration_seconds": (duration * 1000).rounded() / 1000,
            "interrupted_by_signal": interruptedBy.map { Int($0) as Any } ?? NSNull(),
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else {
            preconditionFailure("run.json holds only strings, numbers, arrays and dictionaries")
        }
        return Array(data) + [10]
    }

    static func bytes(_ count: Int) -> String {
        count < 1_000_000 ? String(format: "%.1f kB", Double(count) / 1e3) : String(format: "%.1f MB", Double(count) / 1e6)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m" }
        if whole >= 60 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return String(format: "%.1fs", seconds)
    }
}
