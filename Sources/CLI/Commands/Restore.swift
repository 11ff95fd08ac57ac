import ArgumentParser
import Foundation
import VeilBatch
import VeilCrypto
import VeilNet

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore protected files exactly, with the recipient's private key.",
        discussion: """
        Same batch behaviour as protect: outputs mirror the inputs, --out/manifest.jsonl records \
        every input, reruns only process changed inputs. With --from URL --study UID the study is \
        first fetched from an archive (as `dcmveil fetch` does) into --out/.dcmveil/fetched/UID and \
        restored from there. Exit codes as for protect.
        """)

    @Argument(help: "Protected files or directories (none with --from).")
    var inputs: [String] = []

    @OptionGroup var key: KeyOptions

    @OptionGroup var batch: BatchOptions

    @Option(help: "Archive to fetch the study from (see `dcmveil fetch`).")
    var from: String?

    @Option(help: "Study Instance UID to fetch with --from.")
    var study: String?

    @OptionGroup var tls: TLSOptions

    func validate() throws {
        if (from == nil) != (study == nil) { throw ValidationError("--from and --study go together.") }
        if from != nil && !inputs.isEmpty { throw ValidationError("give either inputs or --from, not both.") }
        if from == nil && inputs.isEmpty { throw ValidationError("give the protected files, or --from and --study.") }
        if from != nil && batch.shard != nil { throw ValidationError("--from cannot go with --shard: fetch first, then restore the shards.") }
        if from != nil && batch.dryRun { throw ValidationError("--dry-run cannot preview a fetch; fetch first, then restore --dry-run.") }
        if let study, !StudyFetcher.isUID(study) { throw ValidationError("--study \(study) is not a UID.") }
    }

    func run() async throws {
        let privateKey = try key.privateKey(command: "restore")
        var inputs = inputs
        if let from, let study {
            inputs = [try await fetchForRestore(study, from: try parseArchive(from, tls: tls, command: "restore"), out: batch.out)]
        }
        try finish(with: await runBatch("restore", batch, inputs: inputs, described: ["key": key.key]) { _ in
            RestoreOperation(key: privateKey)
        })
    }
}
