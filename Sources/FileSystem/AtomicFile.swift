#if canImport(Glibc)
import Glibc
#endif

/// The one way dcmveil writes a file: it appears complete or not at all. The content streams into a
/// temporary file next to the target (`.NAME.PID.RANDOM.tmp`, which `isTemporaryName` recognises
/// for the clean-up after a crash); every write, the fsync and the close are checked, so a full disk
/// never puts a partial file in place of a good one; then it is renamed over the target (or linked,
/// when an existing file must not be replaced) and the directory fsynced. Errors name the target,
/// the file the operator knows. Streaming keeps a 100 000-line manifest from being built in memory.
package final class AtomicFile {
    package let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    package init(_ path: String, mode: mode_t = 0o644) throws(FileSystemError) {
        self.path = path
        let name = path.split(separator: "/").last.map(String.init) ?? path
        temporary = path.parentPath.appending(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .last(path, "create") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporary)
        }
    }

    package func write(_ string: String) throws(FileSystemError) {
        buffer += string.utf8
        if buffer.count >= 1 << 16 { try flush() }
    }

    package func write(_ bytes: [UInt8]) throws(FileSystemError) {
        if buffer.isEmpty && bytes.count >= 1 << 16 { return try writeAll(bytes) }
        buffer += bytes
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Puts the file in place under its name. `durable: false` skips the fsyncs, for callers that
    /// make many files durable together later (the batch journal): the file still appears whole to
    /// readers. `replacing: false` refuses to replace an existing file (`.exists`). Without this
    /// call the temporary file is removed.
    package func commit(durable: Bool = true, replacing: Bool = true) throws(FileSystemError) {
        try flush()
        guard !durable || fsync(descriptor) == 0 else { throw .last(path, "fsync") }
        let closed = close(descriptor)
        descriptor = -1
        defer { unlink(temporary) }  // after a rename it is gone already; after a link it is the spare name
        guard closed == 0 else { throw .last(path, "close") }
        if replacing {
            guard rename(temporary, path) == 0 else { throw .last(path, "rename into place") }
        } else {
            guard link(temporary, path) == 0 else { throw .last(path, "create") }
        }
        if durable { try FileSystem.syncDirectory(path.parentPath) }
    }

    private func flush() throws(FileSystemError) {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .last(path, "write")
            }
            offset += written
        }
    }

    /// Writes `bytes` to `path` atomically (see `commit` for `durable` and `replacing`).
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true,
                             replacing: Bool = true) throws(FileSystemError) {
        let file = try AtomicFile(path, mode: mode)
        try file.write(bytes)
        try file.commit(durable: durable, replacing: replacing)
    }

    /// Whether `name` is one of the temporary files this type writes: `.NAME.DIGITS.DIGITS.tmp`
    /// (and `.NAME.DIGITS.tmp`, as earlier versions named them).
    package static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.last!.allSatisfy(\.isASCII) && parts.last!.allSatisfy(\.isNumber)
    }
}
