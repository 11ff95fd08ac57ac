import ArgumentParser
import Foundation

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an output directory against its manifest; with --key, a full restore check.")

    @Argument(help: "Output directory holding manifest.jsonl.")
    var directory: String

    @Option(help: "Private key, for an in-memory restore of every protected file.")
    var key: String?

    func run() async throws { throw notImplementedYet("verify") }
}
