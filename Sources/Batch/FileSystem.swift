#if canImport(Glibc)
import Glibc
#endif
import VeilCrypto

/// The few file operations the batch layer needs, over POSIX so that errors keep their errno and
/// path, and so that nothing is buffered behind our back.
enum FileSystem {
    /// The whole file. Inputs are read once: the bytes are hashed and then parsed.
    static func read(_ path: String) throws(BatchError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last(path, "open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .last(path, "stat") }
        // Straight into the array, sized by fstat (no zeroed buffer, no copy).
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(status.st_size)) { buffer, initialized in
            initialized = 0
            while initialized < buffer.count {
                let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count > 0 {
                    initialized += count
                } else if count == 0 || errno != EINTR {
                    failure = count < 0 ? errno : 0
                    return
                }
            }
        }
        guard failure == 0 else { throw .io(path: path, operation: "read", errno: failure) }
        // Usually just the end of the file; more only if it grew since fstat.
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 16) { chunk throws(BatchError) in
            while true {
                let count = Glibc.read(descriptor, chunk.baseAddress, chunk.count)
                if count == 0 { return bytes }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .last(path, "read")
                }
                bytes += chunk[..<count]
            }
        }
    }

    /// SHA-256 (hex) of the file at `path`, read in chunks; nil when there is no such file.
    static func sha256(of path: String) throws(BatchError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .last(path, "open")
        }
        defer { close(descriptor) }
        let hasher = SHA256.Hasher()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return hasher.finalize().hex }
            if count < 0 {
                if errno == EINTR { continue }
                throw .last(path, "read")
            }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// Flushes the file or directory at `path` to disk (for a directory: its entries, e.g. a rename).
    static func sync(_ path: String) throws(BatchError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .last(path, "open") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .last(path, "fsync") }
    }

    /// Creates `path` and its missing parents (mode 0755).
    static func makeDirectories(_ path: String) throws(BatchError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .io(path: path, operation: "create directory", errno: ENOTDIR) }
            return
        }
        let parent = path.parentPath
        if parent != path { try makeDirectories(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .last(path, "create directory") }
    }

    /// Removes `path` if it exists, then each parent up to (not including) `root` that became empty.
    static func remove(_ path: String, pruningUpTo root: String) throws(BatchError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last(path, "remove") }
        var directory = path.parentPath
        while directory.count > root.count, directory.hasPrefix(root), rmdir(directory) == 0 {
            directory = directory.parentPath
        }
    }

    /// The kind of the file at `path`, following a final symbolic link when `follow` is set.
    static func kind(of path: String, follow: Bool) -> (kind: mode_t, device: UInt, inode: UInt)? {
        var status = stat()
        guard (follow ? stat(path, &status) : lstat(path, &status)) == 0 else { return nil }
        return (status.st_mode & S_IFMT, UInt(status.st_dev), UInt(status.st_ino))
    }
}

extension String {
    /// Everything before the last "/" ("/" for a top-level path, "." for a bare name).
    var parentPath: String {
        guard let slash = lastIndex(of: "/") else { return "." }
        return slash == startIndex ? "/" : String(self[..<slash])
    }

    /// `self` + "/" + `component`, without doubling a trailing slash.
    func appending(_ component: String) -> String {
        hasSuffix("/") ? self + component : self + "/" + component
    }
}

extension [UInt8] {
    /// Lower-case hexadecimal, as every hash in the manifest is written.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
