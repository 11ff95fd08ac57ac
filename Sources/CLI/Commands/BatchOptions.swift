import ArgumentParser
import Foundation
import VeilBatch

/// Options shared by `protect` and `restore`.
struct BatchOptions: ParsableArguments {
    @Option(help: "Output directory (mirrors the inputs' relative paths; holds manifest.jsonl and run.json).")
    var out: String

    // .unconditional: "--jobs -1" is read as a (refused) value, not as an unknown option "-1".
    @Option(parsing: .unconditional, help: "Files processed at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Walk the inputs and report what would be done; write nothing.")
    var dryRun = false

    @Flag(help: "Remove the outputs of inputs that are gone since the last run.")
    var prune = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print one line per file.")
    var verbose = false

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other.") }
    }

    func runOptions(inputs: [String]) -> RunOptions {
        var options = RunOptions(inputs: inputs, output: out, jobs: jobs)
        options.dryRun = dryRun
        options.prune = prune
        return options
    }

    func progress(_ label: String) -> ProgressDisplay {
        ProgressDisplay(label: label, verbosity: quiet ? .quiet : verbose ? .verbose : .normal)
    }
}

/// Runs a batch and turns its outcome into the documented exit code.
func runBatch<Op: InstanceOperation>(
    _ command: String, _ options: BatchOptions, inputs: [String], described: [String: String] = [:],
    _ makeOperation: (StateDirectory) throws -> Op
) async throws -> Never {
    var runOptions = options.runOptions(inputs: inputs)
    runOptions.described = described
    let runner = Runner<Op>(options: runOptions, progress: options.progress(command), interruption: .installed())
    let summary: RunSummary
    do {
        summary = try await runner.run(makeOperation)
    } catch let error as BatchError {
        printError("dcmveil \(command): \(error)")
        switch error {
        case .locked: throw DcmVeilExit.locked
        case .missingInput: throw DcmVeilExit.usage
        default: throw DcmVeilExit.failure
        }
    } catch let error as UsageError {
        printError("dcmveil \(command): \(error)")
        throw DcmVeilExit.usage
    }
    if let signal = summary.interruptedBy { throw ExitCode(128 + signal) }
    throw summary.counts[.failed, default: 0] > 0 ? DcmVeilExit.partialFailure : DcmVeilExit.success
}

/// A certificate, key or configuration that cannot be used: the run does not start (exit 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
