import ArgumentParser
import Foundation

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a protected file's QR says (no key needed) and, with --key, the rest.")

    @Argument(help: "A protected DICOM file.")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Private key.")
    var key: String?

    func run() async throws { throw notImplementedYet("inspect") }
}
