import ArgumentParser
import Foundation
import VeilBatch

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an output directory against its manifest; with --key, a full restore check.",
        discussion: """
        Every output in the manifest must be present with its recorded SHA-256, and nothing else \
        may be in the directory but manifest.jsonl, run.json and .dcmveil/. With --key, every \
        protected output is restored in memory and its pixels compared with the recorded \
        pixel_sha256. Prints each problem; exit code 0 when there is none, 1 otherwise, \
        64 for a bad key, 75 while a run holds the directory.
        """)

    @Argument(help: "Output directory holding manifest.jsonl.")
    var directory: String

    @OptionGroup var key: OptionalKeyOptions

    @OptionGroup var jobs: JobsOption

    func run() async throws {
        let privateKey = try key.privateKey(command: "verify")
        let report: Verifier.Report
        do {
            report = try await Verifier(directory: directory, key: privateKey, jobs: jobs.jobs).verify()
        } catch {
            printError("dcmveil verify: \(error)")
            if case .locked = error { throw DcmVeilExit.locked }
            throw DcmVeilExit.failure
        }
        for problem in report.problems { print(problem) }
        let restores = privateKey == nil ? "" : ", \(report.restoresChecked) restored in memory"
        let verdict = report.problems.isEmpty ? "OK" : "\(report.problems.count) problems"
        printError("dcmveil verify: \(report.records) records, \(report.outputsChecked) outputs checked\(restores): \(verdict)")
        if !report.problems.isEmpty { throw DcmVeilExit.failure }
    }
}
