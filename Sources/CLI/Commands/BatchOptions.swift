import ArgumentParser
import Foundation
import VeilBatch

/// Options shared by `protect` and `restore`.
struct BatchOptions: ParsableArguments {
    @Option(help: "Output directory (mirrors the inputs' relative paths; holds manifest.jsonl and run.json).")
    var out: String

    @OptionGroup var jobs: JobsOption

    @Flag(help: "Walk the inputs and report what would be done; write nothing.")
    var dryRun = false

    @Flag(help: "Remove the outputs of inputs that are gone since the last run.")
    var prune = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print one line per file.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other.") }
    }

    func runOptions(inputs: [String]) -> RunOptions {
        var options = RunOptions(inputs: inputs, output: out, jobs: jobs.jobs)
        options.dryRun = dryRun
        options.prune = prune
        return options
    }

    func progress(_ label: String) -> ProgressDisplay {
        ProgressDisplay(label: label, verbosity: quiet ? .quiet : verbose ? .verbose : .normal)
    }
}

/// Runs a batch; returns the documented exit code of its outcome.
func runBatch<Op: InstanceOperation>(
    _ command: String, _ options: BatchOptions, inputs: [String], described: [String: String] = [:],
    _ makeOperation: (StateDirectory) throws -> Op
) async -> ExitCode {
    var runOptions = options.runOptions(inputs: inputs)
    runOptions.described = described
    let runner = Runner<Op>(options: runOptions, progress: options.progress(command), interruption: .installed())
    let summary: RunSummary
    do {
        summary = try await runner.run(makeOperation)
    } catch let error as BatchError {
        printError("dcmveil \(command): \(error)")
        switch error {
        case .locked: return DcmVeilExit.locked
        case .missingInput: return DcmVeilExit.usage
        default: return DcmVeilExit.failure
        }
    } catch let error as UsageError {
        printError("dcmveil \(command): \(error)")
        return DcmVeilExit.usage
    } catch {
        printError("dcmveil \(command): \(error)")
        return DcmVeilExit.failure
    }
    if let signal = summary.interruptedBy { return ExitCode(128 + signal) }
    return summary.counts[.failed, default: 0] > 0 ? DcmVeilExit.partialFailure : DcmVeilExit.success
}

/// A certificate, key or configuration that cannot be used: the run does not start (exit 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
