#if canImport(Glibc)
import Glibc
#endif

/// Writes a file that appears complete or not at all: the content streams into a temporary file
/// next to it (`.NAME.PID.tmp`, the naming `StateDirectory.removeTemporaryFiles` cleans up after a
/// crash), which is fsynced and renamed over `path`. Every write, the fsync and the close are
/// checked, so a full disk never puts a partial file in place of a good one; errors name `path`,
/// the file the operator knows. Streaming keeps a 100 000-line manifest from being built in memory.
final class AtomicWriter {
    let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    init(_ path: String, mode: mode_t = 0o644) throws(BatchError) {
        self.path = path
        let name = path.split(separator: "/").last.map(String.init) ?? path
        temporary = path.parentPath.appending(".\(name).\(getpid()).tmp")
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .last(path, "create") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporary)
        }
    }

    func write(_ string: String) throws(BatchError) {
        buffer += string.utf8
        if buffer.count >= 1 << 16 { try flush() }
    }

    func write(_ bytes: [UInt8]) throws(BatchError) {
        buffer += bytes
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Makes the file durable under its name. Without this call the temporary file is removed.
    func commit() throws(BatchError) {
        try flush()
        guard fsync(descriptor) == 0 else { throw .last(path, "fsync") }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let error = BatchError.last(path, "close")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = BatchError.last(path, "rename into place")
            unlink(temporary)
            throw error
        }
        try FileSystem.syncDirectory(path.parentPath)
    }

    private func flush() throws(BatchError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .last(path, "write")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(BatchError) {
        let writer = try AtomicWriter(path, mode: mode)
        try writer.write(bytes)
        try writer.commit()
    }

    /// Whether `name` is one of the temporary files dcmveil writes (here or in `AtomicFile`):
    /// `.NAME.DIGITS.tmp` or `.NAME.DIGITS.DIGITS.tmp`.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.last!.allSatisfy(\.isASCII) && parts.last!.allSatisfy(\.isNumber)
    }
}

extension FileSystem {
    /// Makes a rename or creation in `path` durable.
    static func syncDirectory(_ path: String) throws(BatchError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last(path, "open directory") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .last(path, "fsync directory") }
    }
}
