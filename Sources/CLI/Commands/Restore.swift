import ArgumentParser
import Foundation
import VeilBatch
import VeilCrypto

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore protected files exactly, with the recipient's private key.",
        discussion: """
        Same batch behaviour as protect: outputs mirror the inputs, --out/manifest.jsonl records \
        every input, reruns only process changed inputs. Exit codes as for protect.
        """)

    @Argument(help: "Protected files or directories.")
    var inputs: [String]

    @Option(help: "Private key (PEM or DER).")
    var key: String

    @Option(help: "File holding the private key's passphrase (first line).")
    var passphraseFile: String?

    @OptionGroup var batch: BatchOptions

    func run() async throws {
        let privateKey = try loadPrivateKey(key, passphraseFile: passphraseFile, command: "restore")
        try await runBatch("restore", batch, inputs: inputs, described: ["key": key]) { _ in
            RestoreOperation(key: privateKey)
        }
    }
}
