import ArgumentParser
import Foundation

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore protected files exactly, with the recipient's private key.")

    @Argument(help: "Protected files or directories.")
    var inputs: [String]

    @Option(help: "Output directory (mirrors the inputs' relative paths).")
    var out: String

    @Option(help: "Private key (PEM or DER).")
    var key: String

    @Option(help: "Files processed at once (default: number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() async throws { throw notImplementedYet("restore") }
}
