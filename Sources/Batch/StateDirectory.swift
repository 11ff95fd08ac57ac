#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// `DIR/.dcmveil/`: what a run keeps besides its outputs, `manifest.jsonl` and `run.json` —
/// the lock, the site secret, the journal, the crash record, and the settings the outputs were made with.
public struct StateDirectory: Sendable {
    public static let name = ".dcmveil"

    public let output: String
    /// A dry run: nothing may be created or changed.
    public let readOnly: Bool
    public var path: String { output.appending(Self.name) }
    public var lockPath: String { path.appending("lock") }
    public var journalPath: String { path.appending(Journal.fileName) }
    /// Where `send` journals each series' outcomes until it rewrites the manifest.
    public var sendJournalPath: String { path.appending("send-journal.jsonl") }
    public var crashRecordPath: String { path.appending(CrashRecord.fileName) }
    public var settingsPath: String { path.appending("settings") }
    public var manifestPath: String { output.appending(Manifest.fileName) }
    public var runPath: String { output.appending(RunSummary.fileName) }

    public init(output: String, readOnly: Bool = false) {
        self.output = output
        self.readOnly = readOnly
    }

    /// The last manifest, with the journal of a run that did not finish folded over it, and then
    /// the inputs that run crashed on (`failed`), by input. `unfolded`: the journal or the crash
    /// record holds something the manifest does not yet.
    func earlierRecords(operation: Operation) throws(BatchError) -> (records: [String: ManifestRecord], unfolded: Bool) {
        var records: [String: ManifestRecord] = [:]
        let journaled = try Journal.read(journalPath)
        for record in try Manifest.read(manifestPath) + journaled {
            records[record.input] = record
        }
        let crashed = try CrashRecord.read(crashRecordPath)
        for entry in crashed {
            records[entry.input] = ManifestRecord(crashed: entry, operation: operation)
        }
        return (records, !journaled.isEmpty || !crashed.isEmpty)
    }

    /// Every file under the output directory but our bookkeeping (which the walker leaves out).
    func outputFiles() -> Walker {
        Walker(inputs: [output])
    }

    /// Deletes temporary files a killed run left (ours only: `AtomicFile.isTemporaryName`).
    func removeTemporaryFiles() throws(BatchError) {
        let state = try Walker.Iterator.entries(of: path).map { InputFile(path: path.appending($0), relativePath: $0) }
        for file in state + outputFiles() {
            let name = file.path.split(separator: "/").last.map(String.init) ?? ""
            if AtomicFile.isTemporaryName(name), unlink(file.path) != 0, errno != ENOENT {
                throw .last(file.path, "remove leftover temporary file")
            }
        }
    }

    /// The settings the existing outputs were made with, if any.
    func storedSettings() throws(BatchError) -> String? {
        guard FileSystem.kind(of: settingsPath, follow: false) != nil else { return nil }
        return String(decoding: try BatchError.file(FileSystem.read(settingsPath)), as: UTF8.self)
    }

    func store(settings: String) throws(BatchError) {
        try BatchError.file(AtomicFile.write(Array(settings.utf8), to: settingsPath))
    }
}
