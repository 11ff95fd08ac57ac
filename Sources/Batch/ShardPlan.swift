#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem
import Foundation
import VeilDICOM

/// `--shard-plan N`: how the inputs would split over N shards (files, bytes and studies per shard),
/// so that an operator can choose N before submitting anything. Writes nothing.
package struct ShardPlan: Sendable {
    package struct Part: Sendable {
        package var files = 0
        package var bytes = 0
        package var studies = 0
    }

    package let parts: [Part]

    /// Walks `inputs` as a run would; with `.studyUID` every file is read for its UID.
    package init(inputs: [String], excluding: [String], count: Int, key: Shard.Key) {
        var parts = [Part](repeating: Part(), count: count)
        var studies = [Set<String>](repeating: [], count: count)
        for input in Walker(inputs: inputs, excluding: excluding) {
            let shard = Shard(index: 0, count: count, key: key)
            var studyKey = Shard.folderKey(input.relativePath)
            if key == .studyUID, input.unusable == nil, let bytes = try? FileSystem.read(input.path) {
                studyKey = shard.key(of: input, file: try? DicomFile(bytes: bytes, name: input.path))
            }
            let index = Shard.index(of: studyKey, count: count)
            parts[index].files += 1
            parts[index].bytes += Self.size(of: input)
            studies[index].insert(studyKey)
        }
        for index in parts.indices { parts[index].studies = studies[index].count }
        self.parts = parts
    }

    private static func size(of input: InputFile) -> Int {
        var status = stat()
        return input.unusable == nil && stat(input.path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// One line per shard, then the total and how far the largest shard is above the mean.
    package var text: String {
        let files = parts.reduce(0) { $0 + $1.files }
        let bytes = parts.reduce(0) { $0 + $1.bytes }
        var lines = ["shard  studies    files        bytes"]
        for (index, part) in parts.enumerated() {
            lines.append(String(format: "%5d %8d %8d %12d", index, part.studies, part.files, part.bytes))
        }
        lines.append(String(format: "total %8d %8d %12d", parts.reduce(0) { $0 + $1.studies }, files, bytes))
        let mean = Double(bytes) / Double(max(parts.count, 1))
        let largest = Double(parts.map(\.bytes).max() ?? 0)
        if mean > 0 {
            lines.append(String(format: "largest shard: %.0f%% of the mean", 100 * largest / mean))
        }
        lines.append("choose N a few times the number of workers, so that a slow or retried shard does not hold up the end")
        return lines.joined(separator: "\n")
    }
}
