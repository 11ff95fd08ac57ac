import VeilFileSystem
import Foundation

/// `dcmveil manifest merge OUT`: joins the manifest fragments and run records the shards of one
/// run left under `OUT/.dcmveil/shards/I-of-N/` into `OUT/manifest.jsonl` and `OUT/run.json`,
/// equal to what one machine's run would have written (records sorted by input, byte order;
/// counts summed; earliest start, latest end). It refuses, naming the problem, unless every shard
/// 0..<N of exactly one N has finished a run with the same settings and options, and no input is
/// in two fragments. Holds the output's lock, so no shard can run meanwhile.
package struct ManifestMerge {
    package let output: String
    /// The number of shards expected; nil: whatever N the fragments are of (only one may be there).
    package let shards: Int?

    package init(output: String, shards: Int? = nil) {
        self.output = output
        self.shards = shards
    }

    package struct Result: Sendable {
        package var shards: Int
        package var records: Int
        package var failed: Int
    }

    /// One shard's finished run (its manifest is read while merging, never held whole).
    struct Fragment {
        var shard: Shard
        var state: StateDirectory
        var settings: String
        var run: [String: Any]
    }

    package func merge() throws(BatchError) -> Result {
        let whole = StateDirectory(output: output)
        guard FileSystem.kind(of: whole.root, follow: true) != nil else {
            throw .badState(path: output, detail: "not a dcmveil output directory (no \(StateDirectory.name))")
        }
        let lock = try OutputLock(whole.rootLockPath)
        defer { withExtendedLifetime(lock) {} }
        let count = try shardCount()
        let fragments = try (0..<count).map { index throws(BatchError) in try fragment(Shard(index: index, count: count)) }
        try checkAlike(fragments)
        try whole.removeTemporaryFiles()
        let counts = try FragmentMerger(fragments: fragments.map { ($0.shard, $0.state.manifestPath) }).merge(into: whole.manifestPath)
        let run = try runRecord(fragments)
        try BatchError.file(AtomicFile.write(run, to: whole.runPath))
        try whole.store(settings: fragments[0].settings)
        return Result(shards: count, records: counts.records, failed: counts.failed)
    }

    /// N: from the fragments' folder names, which must all be of one N (the expected one, if given).
    private func shardCount() throws(BatchError) -> Int {
        let folder = StateDirectory.shardsPath(output)
        let names = FileSystem.kind(of: folder, follow: true) == nil ? [] : try Walker.Iterator.entries(of: folder)
        var counts = Set<Int>()
        for name in names {
            let parts = name.split(separator: "-of-", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else {
                throw .badState(path: folder.appending(name), detail: "not a shard's folder (I-of-N)")
            }
            counts.insert(count)
        }
        if let shards {
            let others = counts.subtracting([shards]).sorted()
            guard others.isEmpty else {
                throw .badState(path: folder, detail: "fragments of \(others.map(String.init).joined(separator: ", ")) shards are here besides those of \(shards): remove the folders of the run that is not wanted")
            }
            return shards
        }
        guard counts.count == 1, let count = counts.first else {
            throw .badState(path: folder, detail: counts.isEmpty
                ? "no shard fragments: run `protect` or `restore` with --shard I/N first"
                : "fragments of \(counts.sorted().map(String.init).joined(separator: " and ")) shards: give --shards N, and remove the folders of the other run")
        }
        return count
    }

    /// One shard's finished run, or why it cannot be merged.
    private func fragment(_ shard: Shard) throws(BatchError) -> Fragment {
        let state = StateDirectory(output: output, readOnly: true, shard: shard)
        let exists = { (path: String) in FileSystem.kind(of: path, follow: false) != nil }
        guard exists(state.path) else {
            throw .badState(path: state.path, detail: "shard \(shard) is missing: it has not run into this output")
        }
        if exists(state.journalPath) || exists(state.crashRecordPath) {
            throw .badState(path: state.path, detail: "shard \(shard) did not finish (it was killed or crashed): run it again")
        }
        guard exists(state.manifestPath), exists(state.runPath), exists(state.settingsPath) else {
            throw .badState(path: state.path, detail: "shard \(shard) has not finished a run: run it again")
        }
        guard let run = try? JSONSerialization.jsonObject(with: Data(BatchError.file(FileSystem.read(state.runPath)))) as? [String: Any] else {
            throw .badState(path: state.runPath, detail: "not a run record")
        }
        if let signal = run["interrupted_by_signal"] as? Int {
            throw .badState(path: state.path, detail: "shard \(shard) was interrupted by signal \(signal): run it again")
        }
        if let options = run["options"] as? [String: Any], options["shard"] as? String != shard.description {
            throw .badState(path: state.runPath, detail: "this run record is not shard \(shard)'s")
        }
        let settings = String(decoding: try BatchError.file(FileSystem.read(state.settingsPath)), as: UTF8.self)
        return Fragment(shard: shard, state: state, settings: settings, run: run)
    }

    /// Every fragment made by the same operation, tool, key, settings and options as the first.
    private func checkAlike(_ fragments: [Fragment]) throws(BatchError) {
        let first = fragments[0]
        for fragment in fragments.dropFirst() {
            for key in ["operation", "tool", "key_fingerprint"] where fragment.run[key] as? String != first.run[key] as? String {
                throw differs(fragment, first, "\(key) \(fragment.run[key] ?? "none") instead of \(first.run[key] ?? "none")")
            }
            if fragment.settings != first.settings {
                let lines = zip(fragment.settings.split(separator: "\n"), first.settings.split(separator: "\n"))
                let what = lines.first { $0 != $1 }.map { String($0.0.split(separator: " ").first ?? "") } ?? "settings"
                throw differs(fragment, first, "another \(what)")
            }
            let (options, firstOptions) = (comparedOptions(fragment.run), comparedOptions(first.run))
            if let key = Set(options.keys).union(firstOptions.keys).sorted().first(where: { !equal(options[$0], firstOptions[$0]) }) {
                throw differs(fragment, first, "another --\(key) (\(options[key].map { "\($0)" } ?? "none") instead of \(firstOptions[key].map { "\($0)" } ?? "none"))")
            }
        }
    }

    private func differs(_ fragment: Fragment, _ first: Fragment, _ what: String) -> BatchError {
        .badState(path: fragment.state.path, detail: "shard \(fragment.shard) was run with \(what) than shard \(first.shard): run every shard with the same arguments")
    }

    /// The options every shard must share: all but the shard itself and `--jobs`.
    private func comparedOptions(_ run: [String: Any]) -> [String: Any] {
        (run["options"] as? [String: Any] ?? [:]).filter { !["shard", "jobs"].contains($0.key) }
    }

    private func equal(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return (a as? NSObject)?.isEqual(b) ?? false
    }

    /// `run.json` of the whole run: counts summed, earliest start, latest end.
    private func runRecord(_ fragments: [Fragment]) throws(BatchError) -> [UInt8] {
        let runs = fragments.map(\.run)
        let sum = { (key: String) in runs.reduce(0) { $0 + ($1[key] as? Int ?? 0) } }
        let union = { (key: String) in
            Set(runs.flatMap { $0[key] as? [String] ?? [] }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        var counts: [String: Int] = [:]
        var series: [String: [String: Int]] = [:]
        for run in runs {
            for (status, count) in run["counts"] as? [String: Int] ?? [:] { counts[status, default: 0] += count }
            for (folder, statuses) in run["series"] as? [String: [String: Int]] ?? [:] {
                for (status, count) in statuses { series[folder, default: [:]][status, default: 0] += count }
            }
        }
        let formatter = ISO8601DateFormatter()
        let starts = runs.compactMap { ($0["started"] as? String).flatMap(formatter.date) }
        let ends = runs.compactMap { ($0["finished"] as? String).flatMap(formatter.date) }
        let (started, finished) = (starts.min() ?? Date(), ends.max() ?? Date())
        var options = comparedOptions(runs[0])
        options["shards"] = fragments.count
        options["jobs"] = runs.map { ($0["options"] as? [String: Any])?["jobs"] ?? NSNull() }
        let object: [String: Any] = [
            "tool": runs[0]["tool"] ?? NSNull(),
            "operation": runs[0]["operation"] ?? NSNull(),
            "key_fingerprint": runs[0]["key_fingerprint"] ?? NSNull(),
            "options": options,
            "counts": counts,
            "series": series,
            "inputs": sum("inputs"),
            "unchanged": sum("unchanged"),
            "disappeared": union("disappeared"),
            "disappeared_during_run": union("disappeared_during_run"),
            "pruned": sum("pruned"),
            "bytes_read": sum("bytes_read"),
            "bytes_written": sum("bytes_written"),
            "started": formatter.string(from: started),
            "finished": formatter.string(from: finished),
            "duration_seconds": (finished.timeIntervalSince(started) * 1000).rounded() / 1000,
            "interrupted_by_signal": NSNull(),
            "shards": fragments.map { ["shard": $0.shard.description, "started": $0.run["started"] ?? NSNull(),
                                       "finished": $0.run["finished"] ?? NSNull(), "inputs": $0.run["inputs"] ?? NSNull()] },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else {
            preconditionFailure("run.json holds only strings, numbers, arrays and dictionaries")
        }
        return Array(data) + [10]
    }
}
