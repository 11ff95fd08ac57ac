#if canImport(Glibc)
import Glibc
#endif

/// A file operation that failed, in the shape of swift-nio's `FileSystemError`: what kind of failure
/// (`code`), on which path, while doing what, and the underlying system error when there is one.
/// Every layer keeps it as the cause of its own errors instead of flattening it to a string.
package struct FileSystemError: Error, CustomStringConvertible, Equatable, Sendable {
    package enum Code: Equatable, Sendable {
        case notFound
        case permissionDenied
        case isDirectory
        /// A FIFO, device or socket: reading one could block or never end.
        case notRegularFile(kind: String)
        /// Larger than the caller's limit.
        case tooLarge(bytes: Int, limit: Int)
        case noSpace
        /// The target exists and the caller asked not to replace it.
        case exists
        case other
    }

    package var code: Code
    package var path: String
    /// What was being done, as a verb phrase: "open", "read", "rename into place"…
    package var operation: String
    /// The system error (`errno`), 0 when the failure is not one.
    package var systemError: Int32

    package init(_ code: Code, path: String, operation: String, systemError: Int32 = 0) {
        self.code = code
        self.path = path
        self.operation = operation
        self.systemError = systemError
    }

    /// The error for the system call that just failed on `path`.
    package static func last(_ path: String, _ operation: String) -> FileSystemError {
        let number = errno
        let code: Code = switch number {
        case ENOENT: .notFound
        case EACCES, EPERM: .permissionDenied
        case EISDIR: .isDirectory
        case ENOSPC, EDQUOT: .noSpace
        case EEXIST: .exists
        default: .other
        }
        return FileSystemError(code, path: path, operation: operation, systemError: number)
    }

    /// What went wrong, without the path.
    package var reason: String {
        switch code {
        case let .notRegularFile(kind): "\(kind), not a regular file; only regular files are read"
        case let .tooLarge(bytes, limit): "\(bytes) bytes or more, over the limit of \(limit)"
        default: "cannot \(operation) (\(String(cString: strerror(systemError))))"
        }
    }

    package var description: String { "\(path): \(reason)" }
}
