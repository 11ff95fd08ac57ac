import ArgumentParser
import Foundation
import VeilBatch

struct Manifest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with manifests.",
        subcommands: [Diff.self])

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the inputs added, removed and changed between two manifests.",
            discussion: """
            One line per difference, in input order: "+ INPUT (status)" added, "- INPUT (status)" \
            removed, "~ INPUT: field: old -> new; ..." changed. Exit code 0 when the manifests \
            agree, 1 when they differ (as diff(1)), 64 when one cannot be read.
            """)

        @Argument(help: "The earlier manifest.jsonl (or the output directory holding it).")
        var old: String

        @Argument(help: "The later manifest.jsonl (or the output directory holding it).")
        var new: String

        func run() async throws {
            let diff: ManifestDiff
            do {
                diff = ManifestDiff(old: try VeilBatch.Manifest.read(resolve(old)), new: try VeilBatch.Manifest.read(resolve(new)))
            } catch {
                printError("dcmveil manifest diff: \(error)")
                throw DcmVeilExit.usage
            }
            print(diff.text)
            if !diff.isEmpty { throw DcmVeilExit.failure }
        }

        /// A directory stands for its manifest; a path that does not exist is an error, not an empty manifest.
        private func resolve(_ path: String) throws -> String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path): no such file")
            }
            return isDirectory.boolValue ? path + "/" + VeilBatch.Manifest.fileName : path
        }
    }
}
