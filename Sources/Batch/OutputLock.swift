#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// An exclusive `flock` on `DIR/.dcmveil/lock`, held for the whole run, so that two runs (a cron job
/// and an operator, say) never write the same output directory at once. The kernel releases it when
/// the process ends, however it ends, so a crashed run never leaves a stale lock behind.
package final class OutputLock {
    package let path: String
    private let descriptor: Int32

    /// Takes the lock at once or throws `BatchError.locked`; never waits. `exclusive: false`
    /// takes a shared lock (for `verify`, which only reads, and for the shards of one run).
    package init(_ path: String, exclusive: Bool = true) throws(BatchError) {
        self.path = path
        descriptor = exclusive ? open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) : open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .last(path, "open lock file") }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            let code = errno
            let holder = (try? FileSystem.read(path, limit: 4096)).map { String(decoding: $0, as: UTF8.self) }
            close(descriptor)
            if code == EWOULDBLOCK {
                throw .locked(path: path, holder: holder?.isEmpty == false ? holder : nil)
            }
            throw .io(path: path, operation: "lock", errno: code)
        }
        if exclusive {
            // Who holds it, for the message a second run prints; informational only.
            let holder = Array("pid \(getpid())".utf8)
            ftruncate(descriptor, 0)
            _ = holder.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
