#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader sees either the old file or the complete new one, even after a crash:
/// a temporary file in the same directory, fsync, rename over the target, fsync the directory.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot write (\(reason))" }
    }

    /// Replaces (or creates) `path` with `bytes`. No temporary file is left behind on failure.
    /// `durable: false` skips both fsyncs, for callers that make many files durable together later
    /// (the batch journal); the replacement is still atomic for readers.
    public static func write(_ bytes: [UInt8], to path: String, durable: Bool = true) throws(Failure) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(directory.isEmpty ? "/" : directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"

        func failure(_ step: String) -> Failure {
            Failure(path: path, reason: "\(step): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("creating a temporary file") }
        do throws(Failure) {
            try writeAll(bytes, to: descriptor, failure)
            guard !durable || fsync(descriptor) == 0 else { throw failure("fsync") }
            guard close(descriptor) == 0 else { throw failure("close") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("rename")
            unlink(temporary)
            throw error
        }
        guard durable else { return }
        // The rename is durable only once the directory entry is on disk.
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw failure("opening the directory") }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw failure("fsync of the directory") }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, _ failure: (String) -> Failure) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            offset += written
        }
    }
}
