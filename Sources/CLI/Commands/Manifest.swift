import ArgumentParser
import Foundation
import VeilBatch

struct Manifest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with manifests.",
        subcommands: [Diff.self, Merge.self])

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the manifests of a run's shards (--shard I/N) into OUT/manifest.jsonl and run.json.",
            discussion: """
            Run once every shard has finished. The merged manifest is the one a single run would have \
            written. Refuses, naming the problem, when a shard is missing, did not finish, or ran with \
            other settings or options, or when an input is in two fragments. Exit codes: 0 merged, \
            2 merged but some inputs failed (as for a run), 1 refused, 64 bad command line, \
            75 a shard or another run holds OUT.
            """)

        @Argument(help: "The output directory the shards wrote into.")
        var out: String

        @Option(help: "The number of shards expected (default: the N of the fragments found).")
        var shards: Int?

        func validate() throws {
            if let shards, shards < 1 { throw ValidationError("--shards must be at least 1.") }
        }

        func run() async throws {
            let started = Date()
            let result: ManifestMerge.Result
            do {
                result = try ManifestMerge(output: out, shards: shards).merge()
            } catch {
                printError("dcmveil manifest merge: \(error)")
                if case .locked = error { throw DcmVeilExit.locked }
                throw DcmVeilExit.failure
            }
            printError(String(format: "dcmveil manifest merge: %d shards, %d records (%d failed) in %.2fs",
                              result.shards, result.records, result.failed, Date().timeIntervalSince(started)))
            if result.failed > 0 { throw DcmVeilExit.partialFailure }
        }
    }

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
