#if canImport(Glibc)
import Glibc
#endif

/// The file operations every layer shares, over POSIX so that errors keep their errno and path and
/// nothing is buffered behind our back. Writing files is `AtomicFile`'s.
package enum FileSystem {
    /// The whole file at `path`, at most `limit` bytes. Only regular files are read: a FIFO would
    /// block and a device such as /dev/zero never ends.
    package static func read(_ path: String, limit: Int = 4 << 30) throws(FileSystemError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO without a writer would otherwise wait here before fstat can refuse it.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .last(path, "open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .last(path, "examine") }
        if let kind = kindName(status.st_mode & S_IFMT) {
            throw FileSystemError(kind == "a directory" ? .isDirectory : .notRegularFile(kind: kind), path: path, operation: "read")
        }
        let size = Int(status.st_size)
        guard size <= limit else { throw FileSystemError(.tooLarge(bytes: size, limit: limit), path: path, operation: "read") }
        // Straight into the array, sized by fstat (no zeroed buffer, no copy); then to the end, in
        // case the file grew since, but never past the limit.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < buffer.count {
                let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count > 0 {
                    initialized += count
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    failure = count < 0 ? errno : 0
                    return
                }
            }
        }
        guard failure == 0 else { throw FileSystemError(.other, path: path, operation: "read", systemError: failure) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 16) { chunk throws(FileSystemError) in
            while true {
                let count = Glibc.read(descriptor, chunk.baseAddress, chunk.count)
                if count == 0 { return bytes }
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw .last(path, "read")
                }
                guard bytes.count + count <= limit else {
                    throw FileSystemError(.tooLarge(bytes: bytes.count + count, limit: limit), path: path, operation: "read")
                }
                bytes += chunk[..<count]
            }
        }
    }

    /// "a FIFO", "a directory"… for anything but a regular file.
    private static func kindName(_ type: mode_t) -> String? {
        switch type {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// Flushes the file at `path` to disk.
    package static func sync(_ path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last(path, "open") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .last(path, "fsync") }
    }

    /// Makes a rename or creation in the directory `path` durable.
    package static func syncDirectory(_ path: String) throws(FileSystemError) {
        let descriptor = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last(path, "open directory") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .last(path, "fsync directory") }
    }

    /// Creates `path` and its missing parents (mode 0755).
    package static func makeDirectories(_ path: String) throws(FileSystemError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw FileSystemError(.other, path: path, operation: "create directory", systemError: ENOTDIR)
            }
            return
        }
        let parent = path.parentPath
        if parent != path { try makeDirectories(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .last(path, "create directory") }
    }

    /// Removes `path` if it exists, then each parent up to (not including) `root` that became empty.
    package static func remove(_ path: String, pruningUpTo root: String) throws(FileSystemError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last(path, "remove") }
        var directory = path.parentPath
        while directory.count > root.count, directory.hasPrefix(root), rmdir(directory) == 0 {
            directory = directory.parentPath
        }
    }

    /// The kind of the file at `path`, following a final symbolic link when `follow` is set.
    package static func kind(of path: String, follow: Bool) -> (kind: mode_t, device: UInt, inode: UInt)? {
        var status = stat()
        guard (follow ? stat(path, &status) : lstat(path, &status)) == 0 else { return nil }
        return (status.st_mode & S_IFMT, UInt(status.st_dev), UInt(status.st_ino))
    }
}

extension String {
    /// Everything before the last "/" ("/" for a top-level path, "." for a bare name).
    package var parentPath: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }

    /// `self` + "/" + `component`, without doubling a trailing slash.
    package func appending(_ component: String) -> String {
        hasSuffix("/") ? self + component : self + "/" + component
    }
}
