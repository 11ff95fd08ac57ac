import VeilFileSystem
/// `manifest.jsonl`: one record per input, sorted by input path in byte order (as `LC_ALL=C sort`
/// would), so that two runs over the same data give the same file and `diff` shows real changes.
package enum Manifest {
    package static let fileName = "manifest.jsonl"

    /// The records of the manifest at `path`, in file order; none when there is no manifest yet.
    package static func read(_ path: String) throws(BatchError) -> [ManifestRecord] {
        guard FileSystem.kind(of: path, follow: true) != nil else { return [] }
        return try parse(BatchError.file(FileSystem.read(path)), path: path, toleratingTornTail: false)
    }

    /// Writes `records` sorted by input, atomically.
    package static func write(_ records: some Sequence<ManifestRecord>, operation: Operation, to path: String) throws(BatchError) {
        do {
            let file = try AtomicFile(path)
            for record in records.sorted(by: { $0.input.utf8.lexicographicallyPrecedes($1.input.utf8) }) {
                try file.write(record.jsonLine(for: operation) + "\n")
            }
            try file.commit()
        } catch {
            throw .file(error)
        }
    }

    /// Parses JSON lines. A journal may end in a line torn by a crash (no newline yet): it is
    /// dropped, as its file will simply be processed again.
    static func parse(_ bytes: [UInt8], path: String, toleratingTornTail: Bool) throws(BatchError) -> [ManifestRecord] {
        var records: [ManifestRecord] = []
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if toleratingTornTail, bytes.last != UInt8(ascii: "\n") { lines.removeLast() }
        for (number, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try ManifestRecord(jsonLine: Substring(decoding: line, as: UTF8.self)))
            } catch {
                throw .badState(path: path, detail: "line \(number + 1) is not a manifest record (\(error))")
            }
        }
        return records
    }
}
