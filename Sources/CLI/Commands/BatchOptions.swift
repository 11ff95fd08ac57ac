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

    @Option(help: ArgumentHelp("Handle only shard I of N (0 ≤ I < N), for job arrays: every shard walks the same inputs into the same --out, then `dcmveil manifest merge` joins them.", valueName: "I/N"))
    var shard: ShardArgument?

    @Option(help: "What --shard and --shard-plan partition by: folder (the study folder of study/series/file trees) or study-uid (read from every file).")
    var shardBy: Shard.Key?

    @Option(help: ArgumentHelp("Dry run: print the files and bytes each of N shards would get; write nothing.", valueName: "N"))
    var shardPlan: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print one line per file.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other.") }
        if shard != nil && shardPlan != nil { throw ValidationError("--shard and --shard-plan exclude each other.") }
        if let shardPlan, shardPlan < 1 { throw ValidationError("--shard-plan needs at least 1 shard.") }
        if shardBy != nil && shard == nil && shardPlan == nil { throw ValidationError("--shard-by goes with --shard or --shard-plan.") }
    }

    func runOptions(inputs: [String]) -> RunOptions {
        var options = RunOptions(inputs: inputs, output: out, jobs: jobs.jobs)
        options.dryRun = dryRun
        options.prune = prune
        options.shard = shard.map { Shard(index: $0.index, count: $0.count, key: shardBy ?? .folder) }
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
    if let count = options.shardPlan { return printShardPlan(count, options, inputs: inputs) }
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

/// `--shard-plan N`: the split, on stdout; nothing is written.
private func printShardPlan(_ count: Int, _ options: BatchOptions, inputs: [String]) -> ExitCode {
    if let missing = Walker(inputs: inputs).missingInputs.first {
        printError("dcmveil: \(BatchError.missingInput(path: missing))")
        return DcmVeilExit.usage
    }
    print(ShardPlan(inputs: inputs, excluding: [options.out], count: count, key: options.shardBy ?? .folder).text)
    return DcmVeilExit.success
}

/// `--shard I/N`: this process's part of a job array (Slurm's array index, Kubernetes' completion index).
struct ShardArgument: ExpressibleByArgument {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else {
            return nil
        }
        self.index = index
        self.count = count
    }
}

extension Shard.Key: ExpressibleByArgument {}

/// A certificate, key or configuration that cannot be used: the run does not start (exit 64).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
