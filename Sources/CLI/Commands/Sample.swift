import ArgumentParser
import Foundation
import VeilSample

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

    func run() async throws {
        var tree = SampleTree()
        tree.patients = patients
        tree.studiesPerPatient = studies
        tree.seriesPerStudy = series
        tree.slicesPerSeries = slices
        tree.seed = seed
        let written = try tree.write(to: out)
        print("dcmveil sample: wrote \(written.count) CT slices (\(patients) patients) under \(out)/SAMPLE-CT")
    }
}
