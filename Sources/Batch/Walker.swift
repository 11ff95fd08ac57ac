#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// One file found under the inputs, and where its output goes when the layout mirrors the inputs.
package struct InputFile: Sendable, Equatable {
    /// The path as found: the command-line input joined with the path below it.
    package var path: String
    /// Relative to its directory input, or the file name for a file input.
    package var relativePath: String
    /// Set when the entry cannot be an input (a directory symlink, a FIFO, an unreadable
    /// directory); it is recorded with this reason, so that nothing found goes unmentioned.
    package var unusable: Unusable?

    package enum Unusable: Sendable, Equatable {
        case skipped(String)
        case failed(String)
    }
}

/// Walks files and directory trees depth first, each directory's entries in byte order, one entry
/// at a time: memory grows with the depth and the widest directory, never with the tree.
///
/// Symbolic links to files are followed; symbolic links to directories are not (they are reported),
/// so a link loop cannot make the walk endless and a tree is never visited twice. Directories in
/// `excluding` (the output directory, when it lies inside an input) are not entered.
package struct Walker: Sequence, Sendable {
    package let inputs: [String]
    package let excluding: [String]

    package init(inputs: [String], excluding: [String] = []) {
        self.inputs = inputs
        self.excluding = excluding
    }

    /// The inputs that do not exist, to refuse a run before it starts.
    package var missingInputs: [String] {
        inputs.filter { FileSystem.kind(of: $0, follow: true) == nil }
    }

    package func makeIterator() -> Iterator {
        let excluded = excluding.compactMap { FileSystem.kind(of: $0, follow: true) }.map { Identity(device: $0.device, inode: $0.inode) }
        return Iterator(pending: inputs.reversed(), excluded: Set(excluded))
    }

    struct Identity: Hashable {
        var device: UInt
        var inode: UInt
    }

    package struct Iterator: IteratorProtocol {
        /// Command-line inputs not yet started, last first.
        var pending: [String]
        let excluded: Set<Identity>
        /// Open directories, innermost last: their path, the relative path, and entries left (last first).
        var stack: [(path: String, relative: String, entries: [String])] = []

        package mutating func next() -> InputFile? {
            while true {
                if var top = stack.popLast() {
                    guard let name = top.entries.popLast() else { continue }
                    stack.append(top)
                    let relative = top.relative.isEmpty ? name : top.relative + "/" + name
                    if let file = visit(top.path.appending(name), relative: relative, isCommandLine: false) { return file }
                } else if let input = pending.popLast() {
                    let name = input.split(separator: "/").last.map(String.init) ?? input
                    if let file = visit(input, relative: name, isCommandLine: true) { return file }
                } else {
                    return nil
                }
            }
        }

        /// A file to yield, or nil after pushing a directory to descend into.
        private mutating func visit(_ path: String, relative: String, isCommandLine: Bool) -> InputFile? {
            guard let own = FileSystem.kind(of: path, follow: false) else {
                // Listed a moment ago (or given on the command line and checked at the start).
                let reason = errno == ENOENT ? ManifestRecord.disappearedReason : BatchError.last(path, "examine").description
                return InputFile(path: path, relativePath: relative, unusable: .failed(reason))
            }
            var kind = own.kind
            var identity = Identity(device: own.device, inode: own.inode)
            if kind == S_IFLNK {
                guard let target = FileSystem.kind(of: path, follow: true) else {
                    return InputFile(path: path, relativePath: relative, unusable: .skipped("broken symbolic link"))
                }
                if target.kind == S_IFDIR && !isCommandLine {
                    return InputFile(path: path, relativePath: relative, unusable: .skipped("symbolic link to a directory (not followed)"))
                }
                kind = target.kind
                identity = Identity(device: target.device, inode: target.inode)
            }
            switch kind {
            case S_IFREG:
                return InputFile(path: path, relativePath: relative)
            case S_IFDIR:
                if excluded.contains(identity) { return nil }
                do {
                    let entries = try Self.entries(of: path)
                    stack.append((path, isCommandLine ? "" : relative, entries.reversed()))
                    return nil
                } catch .io(_, _, ENOENT) {
                    return InputFile(path: path, relativePath: relative, unusable: .failed(ManifestRecord.disappearedReason))
                } catch {
                    return InputFile(path: path, relativePath: relative, unusable: .failed(error.description))
                }
            default:
                return InputFile(path: path, relativePath: relative, unusable: .skipped("not a regular file"))
            }
        }

        /// Names in `path`, in byte order (as `LC_ALL=C ls` lists them). In a dcmveil output
        /// directory (restoring a protected tree, say), our bookkeeping is not input.
        static func entries(of path: String) throws(BatchError) -> [String] {
            guard let directory = opendir(path) else { throw .last(path, "read directory") }
            defer { closedir(directory) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name != "." && name != ".." { names.append(name) }
            }
            if names.contains(StateDirectory.name) {
                names.removeAll { [StateDirectory.name, Manifest.fileName, RunSummary.fileName].contains($0) }
            }
            return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }
}
