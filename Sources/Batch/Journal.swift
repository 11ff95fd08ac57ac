#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem
import Dispatch
import Synchronization

/// The checkpoint of a run in progress. Finished records are committed in groups: first the
/// group's outputs are made durable (fsync of each file, then of each directory holding one), then
/// the records are appended and the journal fsynced once. A record is thus journaled only once its
/// output is on disk, and the manifest is only rewritten at the end, so after a SIGKILL or a crash
/// the next run folds this journal over the old manifest and knows exactly which outputs are good;
/// outputs written but not yet journaled are simply made again.
///
/// Why groups: on ext4 each fsync of a newly written file is a journal commit, and commits
/// serialize. Three per file (file, directory, journal) made restore wait on the disk for a fifth of
/// its wall time on an otherwise idle two-core machine; per group, the first fsync commits every
/// file written so far and the rest find nothing left to do. Groups are committed on a serial queue
/// of their own, so the workers keep computing while the disk catches up.
package final class Journal: @unchecked Sendable {  // `pending` belongs to the run's collecting task; I/O happens on `committer` only.
    static let fileName = "journal.jsonl"
    /// A group is committed once it holds this many records, or when its oldest has waited this long.
    static let groupSize = 64
    static let groupAge: Duration = .milliseconds(250)

    let path: String
    private let operation: Operation
    private let descriptor: Int32
    private var pending: [(record: ManifestRecord, output: String?)] = []
    private var oldest = ContinuousClock.now
    private let committer = DispatchQueue(label: "dcmveil.journal")
    private let failure = Mutex<BatchError?>(nil)

    /// Opens the journal for appending, creating it if needed.
    package init(_ path: String, operation: Operation) throws(BatchError) {
        self.path = path
        self.operation = operation
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .last(path, "open") }
    }

    deinit {
        committer.sync {}
        close(descriptor)
    }

    /// Adds a finished record; `output` is the file it wrote, if any (written without fsync).
    /// Starts committing the group when it is due; throws if an earlier group failed to commit.
    package func add(_ record: ManifestRecord, output: String?) throws(BatchError) {
        if let error = failure.withLock({ $0 }) { throw error }
        if pending.isEmpty { oldest = .now }
        pending.append((record, output))
        if pending.count >= Self.groupSize || oldest.duration(to: .now) >= Self.groupAge {
            let group = pending
            pending.removeAll(keepingCapacity: true)
            committer.async { [self] in
                do throws(BatchError) { try write(group) } catch { failure.withLock { $0 = $0 ?? error } }
            }
        }
    }

    /// Commits everything added so far and waits until it is on disk.
    package func commit() throws(BatchError) {
        let group = pending
        pending.removeAll()
        let result = committer.sync { () -> Result<Void, BatchError> in
            do throws(BatchError) { try write(group); return .success(()) } catch { return .failure(error) }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        try result.get()
    }

    /// Makes a group's outputs durable, then journals its records.
    private func write(_ group: [(record: ManifestRecord, output: String?)]) throws(BatchError) {
        guard !group.isEmpty else { return }
        let outputs = group.compactMap(\.output)
        for output in outputs { try BatchError.file(FileSystem.sync(output)) }
        for directory in Set(outputs.map(\.parentPath)).sorted() { try BatchError.file(FileSystem.syncDirectory(directory)) }
        let lines = Array(group.map { $0.record.jsonLine(for: operation) + "\n" }.joined().utf8)
        let written = lines.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == lines.count else { throw .last(path, "append") }
        guard fdatasync(descriptor) == 0 else { throw .last(path, "fsync") }
    }

    /// Records journaled by an earlier run that did not finish, oldest first; none if it finished.
    package static func read(_ path: String) throws(BatchError) -> [ManifestRecord] {
        guard FileSystem.kind(of: path, follow: false) != nil else { return [] }
        return try Manifest.parse(BatchError.file(FileSystem.read(path)), path: path, toleratingTornTail: true)
    }

    /// Removes the journal once the manifest holds everything in it.
    package static func remove(_ path: String) throws(BatchError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last(path, "remove") }
    }
}
