#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// Why a batch could not run, or one of its files could not be handled. Every message names the
/// path at fault, so an operator reading a cron log knows where to look.
package enum BatchError: Error, CustomStringConvertible, Equatable {
    /// A system call on `path` failed; `operation` says what was being done.
    case io(path: String, operation: String, errno: Int32)
    /// Reading or writing a file failed (the file-system error names the path and the cause).
    case file(FileSystemError)
    /// Another run holds the output directory's lock.
    case locked(path: String, holder: String?)
    /// A file dcmveil keeps (site secret, manifest, journal) is not what it should be.
    case badState(path: String, detail: String)
    /// A command-line input does not exist or cannot be examined.
    case missingInput(path: String)
    /// The manifest could not be written at the end of a run (`cause`, e.g. a full disk). `kept`: the
    /// last manifest is still there, unchanged. The journal keeps the run's records for the next run.
    indirect case manifestNotWritten(cause: BatchError, kept: Bool, journal: String)

    package var description: String {
        switch self {
        case let .io(path, operation, code):
            "\(path): cannot \(operation) (\(String(cString: strerror(code))))"
        case let .file(error):
            error.description
        case let .locked(path, holder):
            "\(path): another dcmveil run\(holder.map { " (\($0))" } ?? "") is using this output directory"
        case let .badState(path, detail):
            "\(path): \(detail)"
        case let .missingInput(path):
            "\(path): no such file or directory"
        case let .manifestNotWritten(cause, kept, journal):
            "\(cause); \(kept ? "the last manifest is left as it was" : "no manifest was written"). "
                + "This run's results are kept in \(journal): once there is room, run again to complete the manifest"
        }
    }

    /// Runs a file operation, keeping its error as the cause.
    static func file<T>(_ body: @autoclosure () throws(FileSystemError) -> T) throws(BatchError) -> T {
        do { return try body() } catch { throw .file(error) }
    }

    /// The error for the system call that just failed.
    static func last(_ path: String, _ operation: String) -> BatchError {
        .io(path: path, operation: operation, errno: errno)
    }
}

/// An error's message without `path` in front: the record or line around it already names the file.
func message(_ error: any Error, about path: String) -> String {
    let text = String(describing: error)
    return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
}
