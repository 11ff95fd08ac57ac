import ArgumentParser
import Foundation

struct Sample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic TCIA-style tree of realistic CT slices with fake patient data.")

    @Option(help: "Output directory.") var out: String
    @Option(help: "Patients.") var patients = 2
    @Option(help: "Studies per patient.") var studies = 1
    @Option(help: "Series per study.") var series = 2
    @Option(help: "Slices per series.") var slices = 8
    @Option(help: "Seed; the same seed gives identical files.") var seed: UInt64 = 1

    func validate() throws {
        for (name, value) in [("patients", patients), ("studies", studies), ("series", series), ("slices", slices)]
        where value < 1 {
            throw ValidationError("--\(name) must be at least 1.")
        }
    }

    func run() async throws { throw notImplementedYet("sample") }
}
