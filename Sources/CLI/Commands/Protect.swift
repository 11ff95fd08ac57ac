import ArgumentParser
import Foundation

struct Protect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Protect DICOM files or whole study trees for the holder of a certificate's key.")

    @Argument(help: "Files or directories to protect.")
    var inputs: [String]

    @Option(help: "Output directory (mirrors the inputs' relative paths).")
    var out: String

    @Option(help: "Recipient's X.509 certificate (PEM or DER).")
    var cert: String

    @Option(help: "Configuration file.")
    var config: String?

    @Option(help: "Files processed at once (default: number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() async throws { throw notImplementedYet("protect") }
}
