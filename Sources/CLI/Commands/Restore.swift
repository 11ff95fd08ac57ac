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

/// Reads a private key, exiting with 64 and a message naming the file when it cannot be used.
func loadPrivateKey(_ path: String, passphraseFile: String?, command: String) throws -> PrivateKey {
    var passphrase: String?
    if let passphraseFile {
        guard let data = FileManager.default.contents(atPath: passphraseFile) else {
            printError("dcmveil \(command): \(passphraseFile): cannot read the passphrase file")
            throw DcmVeilExit.usage
        }
        passphrase = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
    }
    do {
        return try PrivateKey(contentsOf: path, passphrase: passphrase)
    } catch {
        printError("dcmveil \(command): \(path): \(error)")
        throw DcmVeilExit.usage
    }
}
