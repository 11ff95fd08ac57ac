import Foundation
import VeilBatch

/// Sends the protected outputs of a `protect` output directory to an archive, as its manifest lists
/// them, and records the outcome in that manifest (`sent`, `send_error`).
///
/// Only records whose status is `protected` or `header-only` are sent, and only when the file still
/// has the recorded `output_sha256`: nothing unprotected ever leaves. Records already `sent: true`
/// are left alone, so a rerun after a failure sends only what is missing. Each series goes as one
/// association or request, retried with doubling delays. After each series its records' outcomes
/// are appended to a send journal (fsynced), and the manifest is rewritten once at the end: the
/// cost per series is what changed, and an interrupted send loses nothing already sent (the next
/// send folds the journal in first).
package struct Sender: Sendable {
    package var archive: Archive
    /// Further attempts after a failed one, per series.
    package var retries = 3
    /// Delay before the first retry; each further retry waits twice as long.
    package var retryDelay: Duration = .seconds(1)

    package init(archive: Archive) {
        self.archive = archive
    }

    /// Sends what `directory`'s manifest says is protected and not yet sent. `report` hears of each
    /// output that could not be sent, and of retries.
    package func send(directory: String, report: (String) -> Void = { _ in }) async throws -> SendSummary {
        let state = StateDirectory(output: directory)
        guard FileManager.default.fileExists(atPath: state.manifestPath) else {
            throw NetError.badFile(path: state.manifestPath, detail: "no manifest: protect into \(directory) first")
        }
        let lock = try OutputLock(state.lockPath)
        defer { withExtendedLifetime(lock) {} }
        guard !FileManager.default.fileExists(atPath: state.journalPath) else {
            // A killed protect run: the manifest is not the whole truth until protect runs again.
            throw NetError.badFile(path: state.journalPath, detail: "an unfinished protect run; run protect again first")
        }
        var records = try Manifest.read(state.manifestPath)
        if records.contains(where: { $0.operation == .restore }) {
            throw NetError.badFile(path: state.manifestPath, detail: "a restore manifest: only protected outputs are sent")
        }
        let journalPath = state.sendJournalPath
        let indexByInput = Dictionary(records.indices.map { (records[$0].input, $0) }, uniquingKeysWith: { first, _ in first })
        for update in try Journal.read(journalPath) {  // an interrupted send's outcomes
            if let index = indexByInput[update.input] { records[index] = update }
        }
        let journal = try Journal(journalPath, operation: .protect)

        var summary = SendSummary()
        var series: [String: [OutgoingInstance]] = [:]
        var seriesOrder: [String] = []
        var indexByPath: [String: Int] = [:]
        for (index, record) in records.enumerated() where [.protected, .headerOnly].contains(record.status) {
            guard record.sent != true else {
                summary.alreadySent += 1
                continue
            }
            guard let output = record.output, let hash = record.outputSHA256 else { continue }
            let path = directory.hasSuffix("/") ? directory + output : directory + "/" + output
            indexByPath[path] = index
            do {
                let instance = try OutgoingInstance(path: path, output: output, expectedSHA256: hash)
                if series[instance.seriesInstanceUID] == nil { seriesOrder.append(instance.seriesInstanceUID) }
                series[instance.seriesInstanceUID, default: []].append(instance)
            } catch {
                records[index].sent = false
                records[index].sendError = error.description
                try journal.add(records[index], output: nil)
                summary.unsent.append((output, error.description))
                report("\(output): \(error)")
            }
        }

        // Outputs refused before any sending are recorded now, whether or not a series follows.
        try journal.commit()
        for uid in seriesOrder {
            let failures = await sendWithRetries(series[uid]!, report: report)
            for instance in series[uid]! {
                let index = indexByPath[instance.path]!
                let failure = failures[instance.path]
                records[index].sent = failure == nil
                records[index].sendError = failure?.description
                try journal.add(records[index], output: nil)
                if let failure {
                    summary.unsent.append((instance.output, failure.description))
                    report("\(instance.output): \(failure)")
                } else {
                    summary.sent += 1
                }
            }
            try journal.commit()
        }
        try Manifest.write(records, operation: .protect, to: state.manifestPath)
        try Journal.remove(journalPath)
        return summary
    }


    /// One series, until stored or out of retries; returns what was never stored.
    private func sendWithRetries(_ series: [OutgoingInstance], report: (String) -> Void) async -> [String: NetError] {
        let connection = archive.connection
        var pending = series
        var failures: [String: NetError] = [:]
        for attempt in 0...retries {
            if attempt > 0 {
                let delay = retryDelay * (1 << (attempt - 1))
                report("\(archive): retrying \(pending.count) instances of series \(series[0].seriesInstanceUID) in \(delay) (attempt \(attempt + 1) of \(retries + 1))")
                try? await Task.sleep(for: delay)
            }
            let attemptFailures = await connection.store(pending)
            for instance in pending { failures[instance.path] = attemptFailures[instance.path] }
            pending = pending.filter { attemptFailures[$0.path]?.isTransient == true }
            if pending.isEmpty { break }
        }
        return failures
    }
}

/// What a send did.
package struct SendSummary: Sendable {
    /// Outputs stored by the archive in this run.
    package var sent = 0
    /// Outputs a previous run had sent, left alone.
    package var alreadySent = 0
    /// Outputs not sent, with why.
    package var unsent: [(output: String, error: String)] = []

    package var line: String {
        "\(sent) sent, \(alreadySent) already sent, \(unsent.count) not sent"
    }
}
