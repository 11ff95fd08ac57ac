import ArgumentParser
import Foundation

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce the paper's experiments: metrics, pictures, plots and an HTML report.")

    @Argument(help: "DICOM files or directories.")
    var inputs: [String]

    @Option(help: "Report directory.")
    var report: String

    func run() async throws { throw notImplementedYet("evaluate") }
}
