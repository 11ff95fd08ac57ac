#if canImport(Glibc)
import Glibc
#endif

/// The checkpoint of a run in progress: every finished record is appended and fsynced as soon as
/// its output is in place. The manifest is only rewritten at the end, so after a SIGKILL the next
/// run folds this journal over the old manifest and knows exactly which outputs are already good.
final class Journal {
    static let fileName = "journal.jsonl"

    let path: String
    private let descriptor: Int32

    /// Opens the journal for appending, creating it if needed.
    init(_ path: String) throws(BatchError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .last(path, "open") }
    }

    deinit { close(descriptor) }

    func append(_ record: ManifestRecord, operation: Operation) throws(BatchError) {
        let line = Array((record.jsonLine(for: operation) + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw .last(path, "append") }
        guard fdatasync(descriptor) == 0 else { throw .last(path, "fsync") }
    }

    /// Records journaled by an earlier run that did not finish, oldest first; none if it finished.
    static func read(_ path: String) throws(BatchError) -> [ManifestRecord] {
        guard FileSystem.kind(of: path, follow: false) != nil else { return [] }
        return try Manifest.parse(FileSystem.read(path), path: path, toleratingTornTail: true)
    }

    /// Removes the journal once the manifest holds everything in it.
    static func remove(_ path: String) throws(BatchError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last(path, "remove") }
    }
}
