#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// `DIR/.dcmveil/`: what a run keeps besides its outputs, `manifest.jsonl` and `run.json` —
/// the lock, the site secret, the journal, the crash record, and the settings the outputs were made with.
package struct StateDirectory: Sendable {
    package static let name = ".dcmveil"

    package let output: String
    /// A dry run: nothing may be created or changed.
    package let readOnly: Bool
    /// A shard's run keeps its own lock, journal, crash record, settings, manifest fragment and
    /// `run.json` in `.dcmveil/shards/I-of-N/`, so that shards never touch each other's state.
    package let shard: Shard?
    package var path: String { shard.map { Self.shardsPath(output).appending($0.folderName) } ?? root }
    /// `.dcmveil/` itself, whatever the shard.
    package var root: String { output.appending(Self.name) }
    package var lockPath: String { path.appending("lock") }
    /// The whole output's lock: a shard holds it shared, a whole run or a merge exclusively.
    package var rootLockPath: String { root.appending("lock") }
    package var journalPath: String { path.appending(Journal.fileName) }
    /// Where `send` journals each series' outcomes until it rewrites the manifest.
    package var sendJournalPath: String { path.appending("send-journal.jsonl") }
    package var crashRecordPath: String { path.appending(CrashRecord.fileName) }
    package var settingsPath: String { path.appending("settings") }
    package var manifestPath: String { (shard == nil ? output : path).appending(Manifest.fileName) }
    package var runPath: String { (shard == nil ? output : path).appending(RunSummary.fileName) }

    package init(output: String, readOnly: Bool = false, shard: Shard? = nil) {
        self.output = output
        self.readOnly = readOnly
        self.shard = shard
    }

    /// `.dcmveil/shards/`, where every shard's state folder is.
    package static func shardsPath(_ output: String) -> String {
        output.appending(name).appending("shards")
    }

    /// The whole output's state (no shard): what `manifest merge` writes.
    package var whole: StateDirectory { StateDirectory(output: output, readOnly: readOnly) }

    /// A shard's first run (no settings of its own yet) starts from the whole output's manifest and
    /// settings, as a single run or an earlier merge left them, so that sharding an output that
    /// exists, or changing N, does not redo what is done. Records of other shards' inputs are
    /// dropped at the end of the run (`Runner`).
    var seedsFromWhole: Bool {
        shard != nil && FileSystem.kind(of: settingsPath, follow: false) == nil
    }

    /// The last manifest, with the journal of a run that did not finish folded over it, and then
    /// the inputs that run crashed on (`failed`), by input. `unfolded`: the journal or the crash
    /// record holds something the manifest does not yet.
    /// `seeded`: the inputs whose records come from the whole output's manifest (`seedsFromWhole`).
    func earlierRecords(operation: Operation) throws(BatchError) -> (records: [String: ManifestRecord], unfolded: Bool, seeded: Set<String>) {
        var records: [String: ManifestRecord] = [:]
        let journaled = try Journal.read(journalPath)
        let manifest = try Manifest.read(seedsFromWhole ? whole.manifestPath : manifestPath)
        for record in manifest + journaled {
            records[record.input] = record
        }
        let crashed = try CrashRecord.read(crashRecordPath)
        for entry in crashed {
            records[entry.input] = ManifestRecord(crashed: entry, operation: operation)
        }
        let seeded = seedsFromWhole ? Set(manifest.map(\.input)).subtracting(journaled.map(\.input)).subtracting(crashed.map(\.input)) : []
        return (records, !journaled.isEmpty || !crashed.isEmpty, seeded)
    }

    /// Every file under the output directory but our bookkeeping (which the walker leaves out).
    func outputFiles() -> Walker {
        Walker(inputs: [output])
    }

    /// Deletes temporary files a killed run left (ours only: `AtomicFile.isTemporaryName`).
    /// A shard leaves the output tree alone (the other shards write there): `manifest merge`
    /// removes what killed shards left once none is running.
    func removeTemporaryFiles() throws(BatchError) {
        let state = try Walker.Iterator.entries(of: path).map { InputFile(path: path.appending($0), relativePath: $0) }
        for file in state + (shard == nil ? Array(outputFiles()) : []) {
            let name = file.path.split(separator: "/").last.map(String.init) ?? ""
            if AtomicFile.isTemporaryName(name), unlink(file.path) != 0, errno != ENOENT {
                throw .last(file.path, "remove leftover temporary file")
            }
        }
    }

    /// The settings the existing outputs were made with, if any.
    func storedSettings() throws(BatchError) -> String? {
        let path = seedsFromWhole ? whole.settingsPath : settingsPath
        guard FileSystem.kind(of: path, follow: false) != nil else { return nil }
        return String(decoding: try BatchError.file(FileSystem.read(path)), as: UTF8.self)
    }

    func store(settings: String) throws(BatchError) {
        try BatchError.file(AtomicFile.write(Array(settings.utf8), to: settingsPath))
    }
}
