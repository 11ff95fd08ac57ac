import ArgumentParser
import Foundation

/// The exit codes dcmveil documents (README, "Exit codes"). Cron jobs branch on them.
enum DcmVeilExit {
    /// Everything asked for was done.
    static let success = ExitCode.success
    /// The operation failed: nothing (or nothing useful) was produced.
    static let failure = ExitCode(1)
    /// A batch (or the merge of a sharded one) finished, but some inputs failed; see the manifest.
    static let partialFailure = ExitCode(2)
    /// Bad command line or configuration (same as ArgumentParser's validation errors).
    static let usage = ExitCode.validationFailure
    /// Another run holds the output directory's lock (for `--shard`: the same shard runs elsewhere;
    /// for `manifest merge`: a shard still runs). Schedulers may retry it.
    static let locked = ExitCode(75)
    // A batch stopped by signal N (SIGINT, SIGTERM) exits with 128 + N after writing its manifest.
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
