#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// Joins sorted manifest fragments into one sorted manifest, streaming: a k-way merge over one
/// line of each fragment at a time, so that merging ten million records needs no more memory than
/// merging ten. Lines are copied as written (each fragment was written by `Manifest.write`, so the
/// result equals `Manifest.write` of all records). An input that is in two fragments, or a fragment
/// out of order, is refused.
struct FragmentMerger {
    /// Each fragment's manifest, with the shard it belongs to (for messages).
    let fragments: [(shard: Shard, path: String)]

    struct Counts {
        var records = 0
        var failed = 0
    }

    func merge(into path: String) throws(BatchError) -> Counts {
        var readers: [LineReader] = []
        for fragment in fragments { readers.append(try LineReader(fragment.path)) }
        var heap = Heap()
        for index in readers.indices { if let head = try readers[index].next() { heap.push(head, index) } }
        let writer = try BatchError.file(AtomicFile(path))
        var counts = Counts()
        var last: (input: [UInt8], index: Int)?
        while let (head, index) = heap.pop() {
            if let last, last.input == head.input {
                throw .badState(path: fragments[index].path, detail: "\(String(decoding: head.input, as: UTF8.self)) is in the fragments of shards \(fragments[last.index].shard) and \(fragments[index].shard): run both again")
            }
            try BatchError.file(writer.write(head.line))
            counts.records += 1
            counts.failed += head.failed ? 1 : 0
            last = (head.input, index)
            if let next = try readers[index].next() {
                guard head.input.lexicographicallyPrecedes(next.input) else {
                    throw .badState(path: fragments[index].path, detail: "records out of order or repeated at \(String(decoding: next.input, as: UTF8.self))")
                }
                heap.push(next, index)
            }
        }
        try BatchError.file(writer.commit())
        return counts
    }
}

/// One manifest line and what the merge needs of it.
struct FragmentLine {
    var line: [UInt8]
    /// The record's `input`, as UTF-8 (the manifest's byte order).
    var input: [UInt8]
    var failed: Bool
}

/// A fragment read line by line.
final class LineReader {
    private let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var number = 0

    init(_ path: String) throws(BatchError) {
        self.path = path
        guard let file = fopen(path, "r") else { throw .last(path, "open") }
        self.file = file
    }

    deinit { fclose(file) }

    /// The next record's line (newline included), or nil at the end.
    func next() throws(BatchError) -> FragmentLine? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while true {
            let length = getline(&buffer, &capacity, file)
            guard length >= 0, let buffer else {
                if ferror(file) != 0 { throw .last(path, "read") }
                return nil
            }
            number += 1
            let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: length))
            guard bytes != [10] else { continue }
            let record: ManifestRecord
            do {
                record = try ManifestRecord(jsonLine: Substring(decoding: bytes, as: UTF8.self))
            } catch {
                throw .badState(path: path, detail: "line \(number) is not a manifest record (\(error))")
            }
            return FragmentLine(line: bytes.last == 10 ? bytes : bytes + [10], input: Array(record.input.utf8), failed: record.status == .failed)
        }
    }
}

/// A binary min-heap of fragment heads by input (byte order).
struct Heap {
    private var items: [(line: FragmentLine, index: Int)] = []

    mutating func push(_ line: FragmentLine, _ index: Int) {
        items.append((line, index))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (FragmentLine, Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let (left, right) = (2 * parent + 1, 2 * parent + 2)
            var smallest = parent
            if left < items.count, precedes(left, smallest) { smallest = left }
            if right < items.count, precedes(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return (top.line, top.index)
    }

    /// Ties (one input in two fragments) pop together, the lower shard first.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (items[a], items[b])
        return x.line.input == y.line.input ? x.index < y.index : x.line.input.lexicographicallyPrecedes(y.line.input)
    }
}
