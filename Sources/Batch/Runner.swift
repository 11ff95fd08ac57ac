import VeilFileSystem
import Foundation
import Synchronization
import VeilCrypto
import VeilDICOM

/// What a run is asked to do, besides the operation.
package struct RunOptions: Sendable {
    package var inputs: [String]
    package var output: String
    package var jobs: Int
    package var dryRun = false
    package var prune = false
    /// Only this shard's inputs (`--shard I/N`), with state of its own under `.dcmveil/shards/`.
    package var shard: Shard?
    /// Operation-specific options for `run.json` (layout, configuration file...).
    package var described: [String: String] = [:]

    package init(inputs: [String], output: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.inputs = inputs
        self.output = output
        self.jobs = jobs
    }
}

/// Runs an operation over every file under the inputs into one output directory, with bounded
/// concurrency, incrementally, and so that a run killed at any moment and run again ends exactly
/// like an uninterrupted run.
///
/// Order of work: lock the output, remove temporary files a killed run left, fold the journal of an
/// unfinished run and the inputs it crashed on (`CrashRecord`) into the manifest, then walk the
/// inputs (streaming, never holding the tree) with at most `jobs` files in flight. Finished files
/// are journaled in groups once their outputs are durable (see `Journal`); at the end the manifest
/// is rewritten atomically and the journal removed.
package struct Runner<Op: InstanceOperation> {
    package let options: RunOptions
    package let progress: ProgressDisplay
    package let interruption: Interruption

    package init(options: RunOptions, progress: ProgressDisplay, interruption: Interruption = Interruption()) {
        self.options = options
        self.progress = progress
        self.interruption = interruption
    }

    /// Runs `makeOperation` (given the locked state directory, e.g. for the site secret) over the inputs.
    package func run(_ makeOperation: (StateDirectory) throws -> Op) async throws -> RunSummary {
        if let missing = Walker(inputs: options.inputs).missingInputs.first { throw BatchError.missingInput(path: missing) }
        let state = StateDirectory(output: options.output, readOnly: options.dryRun, shard: options.shard)
        let locks = try lockOutput(state)
        defer { withExtendedLifetime(locks) {} }
        CrashGuard.install()

        let operation = try makeOperation(state)
        let reusable = try state.storedSettings() == operation.settings
        var (records, seeded) = try startFromEarlierRuns(state, operation: operation)
        let previous = records

        var summary = RunSummary(operation: operation.operation)
        summary.dryRun = options.dryRun
        let walker = Walker(inputs: options.inputs, excluding: [options.output])
        progress.begin(total: progress.wantsTotal && options.shard?.key != .studyUID
                       ? walker.reduce(0) { count, input in count + (options.shard?.ownsByPath(input) == false ? 0 : 1) } : nil)

        let worker = Worker<Op>(operation: operation, output: options.output, reusable: reusable, dryRun: options.dryRun,
                                claims: OutputClaims(), crashRecord: options.dryRun ? nil : state.crashRecordPath,
                                shard: options.shard)
        let journal = options.dryRun ? nil : try Journal(state.journalPath, operation: operation.operation)
        var seen = Set<String>()
        /// Inputs this shard handled (all of them without --shard).
        var mine = Set<String>()
        var walkFinished = true

        try await withThrowingTaskGroup(of: Worker<Op>.Outcome.self) { group in
            var inFlight = 0
            func collect(_ outcome: Worker<Op>.Outcome) throws {
                inFlight -= 1
                guard !outcome.elsewhere else { return }
                let record = outcome.record
                mine.insert(record.input)
                summary.inputs += 1
                if let old = previous[record.input]?.output, old != record.output, !options.dryRun,
                   [nil, record.input].contains(worker.claims.owner(of: old)) {
                    // Superseded (the input changed and now fails, or its UIDs changed): only the
                    // new record's output may stay, or verify would find a stray file.
                    try BatchError.file(FileSystem.remove(options.output.appending(old), pruningUpTo: options.output))
                }
                try journal?.add(record, output: outcome.written)
                if !outcome.wouldProcess { records[record.input] = record }
                summary.unchanged += outcome.unchanged ? 1 : 0
                summary.wouldProcess += outcome.wouldProcess ? 1 : 0
                if !outcome.wouldProcess { summary.add(record) }
                summary.bytesRead += outcome.bytesRead
                summary.bytesWritten += outcome.bytesWritten
                progress.finished(record, unchanged: outcome.unchanged)
            }

            for input in walker {
                if interruption.received != nil {
                    walkFinished = false
                    break
                }
                seen.insert(input.path)
                if options.shard?.ownsByPath(input) == false { continue }
                if inFlight >= options.jobs, let outcome = try await group.next() { try collect(outcome) }
                var input = input
                if let planned = operation.plannedOutput(for: input), input.unusable == nil,
                   let owner = worker.claims.claim(planned, for: input.path) {
                    input.unusable = .failed("its output \(planned) is already the output of \(owner); give the inputs separately named parents")
                }
                let earlier = previous[input.path]
                group.addTask { [input] in worker.handle(input, previous: earlier) }
                inFlight += 1
            }
            while let outcome = try await group.next() { try collect(outcome) }
        }
        try journal?.commit()
        if let shard = options.shard {
            records = recordsOfShard(shard, records, seen: seen, mine: mine, seeded: seeded, walkFinished: walkFinished)
        }

        if walkFinished {
            summary.disappeared = records.keys.filter { !seen.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if options.prune && !options.dryRun {
                for input in summary.disappeared {
                    if let output = records.removeValue(forKey: input)?.output, worker.claims.owner(of: output) == nil {
                        try BatchError.file(FileSystem.remove(options.output.appending(output), pruningUpTo: options.output))
                        summary.pruned += 1
                    }
                }
            }
        }
        summary.interruptedBy = interruption.received
        summary.finished = Date()

        if !options.dryRun { try finish(records, summary: summary, operation: operation, state: state) }
        progress.end(summary)
        return summary
    }
}

extension Runner {
    /// Takes the output directory's lock and removes the temporary files a killed run left; a dry run
    /// touches nothing.
    /// A shard holds the whole output's lock shared (so that a whole run or a merge cannot start
    /// meanwhile) and its own exclusively (so that a duplicate of it exits 75).
    private func lockOutput(_ state: StateDirectory) throws -> [OutputLock] {
        guard !options.dryRun else { return [] }
        try BatchError.file(FileSystem.makeDirectories(state.path))
        let shared = state.shard == nil ? [] : [try OutputLock(state.rootLockPath, exclusive: false)]
        let lock = try OutputLock(state.lockPath)
        try state.removeTemporaryFiles()
        return shared + [lock]
    }

    /// A shard's records at the end of its run: those of inputs it handled; of inputs the walk
    /// found but another shard handles (a study UID that changed, or records seeded from the
    /// whole manifest), none; of inputs no longer found, those it already had, and of the seeded
    /// ones those it owns by folder, so that exactly one shard keeps each.
    private func recordsOfShard(_ shard: Shard, _ records: [String: ManifestRecord], seen: Set<String>, mine: Set<String>,
                                seeded: Set<String>, walkFinished: Bool) -> [String: ManifestRecord] {
        records.filter { input, _ in
            if seen.contains(input) { return mine.contains(input) }
            guard seeded.contains(input) else { return true }
            return walkFinished && shard.ownsRecord(of: input, inputs: options.inputs)
        }
    }

    /// The records this run starts from: the last manifest with what an unfinished run left (its
    /// journal, the inputs it crashed on) folded in. Unless this is a dry run, they become the
    /// manifest now, so the run starts without a journal or crash record. Only when there is something
    /// to fold: a first run must not leave an empty manifest behind if it cannot finish.
    /// `seeded`: records a shard's first run took from the whole output's manifest; they are never
    /// written to its fragment before the run has sorted out which are its own.
    private func startFromEarlierRuns(_ state: StateDirectory, operation: Op) throws -> ([String: ManifestRecord], seeded: Set<String>) {
        let (records, unfolded, seeded) = try state.earlierRecords(operation: operation.operation)
        guard !options.dryRun else { return (records, seeded) }
        if unfolded {
            try Manifest.write(records.values.filter { !seeded.contains($0.input) }, operation: operation.operation, to: state.manifestPath)
        }
        try Journal.remove(state.journalPath)
        try CrashRecord.remove(state.crashRecordPath)
        try state.store(settings: operation.settings)
        return (records, seeded)
    }

    /// Writes the manifest, then drops the journal and writes `run.json`. A manifest that cannot be
    /// written (a full disk) leaves the last one as it was, or none on a first run, and the journal
    /// keeps this run's records for the next run.
    private func finish(_ records: [String: ManifestRecord], summary: RunSummary, operation: Op, state: StateDirectory) throws {
        do {
            try Manifest.write(records.values, operation: operation.operation, to: state.manifestPath)
        } catch {
            let kept = FileSystem.kind(of: state.manifestPath, follow: false) != nil
            throw BatchError.manifestNotWritten(cause: error, kept: kept, journal: state.journalPath)
        }
        try Journal.remove(state.journalPath)
        let json = try summary.json(keyFingerprint: operation.keyFingerprint, options: describedOptions)
        try BatchError.file(AtomicFile.write(json, to: state.runPath))
    }

    var describedOptions: [String: Any] {
        var described: [String: Any] = options.described
        described["inputs"] = options.inputs
        described["out"] = options.output
        described["jobs"] = options.jobs
        described["prune"] = options.prune
        if let shard = options.shard {
            described["shard"] = shard.description
            described["shard_by"] = shard.key.rawValue
        }
        return described
    }
}

/// Which input each output path belongs to, so that two inputs never write the same output.
final class OutputClaims: Sendable {
    private let owners = Mutex<[String: String]>([:])

    /// Claims `output` for `input`; returns the other input that already holds it, if any.
    func claim(_ output: String, for input: String) -> String? {
        owners.withLock { owners in
            if let owner = owners[output], owner != input { return owner }
            owners[output] = input
            return nil
        }
    }

    /// The input `output` belongs to in this run, if any.
    func owner(of output: String) -> String? {
        owners.withLock { $0[output] }
    }
}
