import ArgumentParser
import Foundation
import VeilCrypto

/// `--passphrase-file`, for every command that reads a private key.
struct PassphraseOption: ParsableArguments {
    @Option(help: "File holding the private key's passphrase (first line).")
    var passphraseFile: String?

    /// The passphrase, or exit 64 naming the file.
    func passphrase(command: String) throws -> String? {
        guard let passphraseFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passphraseFile) else {
            printError("dcmveil \(command): \(passphraseFile): cannot read the passphrase file")
            throw DcmVeilExit.usage
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
    }
}

/// The recipient's private key, for the commands that need one.
struct KeyOptions: ParsableArguments {
    @Option(help: "Private key (PEM or DER, PKCS#1 or PKCS#8).")
    var key: String

    @OptionGroup var passphrase: PassphraseOption

    /// The key, or exit 64 with a message naming the file.
    func privateKey(command: String) throws -> PrivateKey {
        try loadPrivateKey(key, passphrase: passphrase.passphrase(command: command), command: command)
    }
}

/// The recipient's private key, for the commands that can do more with one.
struct OptionalKeyOptions: ParsableArguments {
    @Option(help: "Private key (PEM or DER, PKCS#1 or PKCS#8).")
    var key: String?

    @OptionGroup var passphrase: PassphraseOption

    /// The key if one was given, or exit 64 with a message naming the file.
    func privateKey(command: String) throws -> PrivateKey? {
        try key.map { try loadPrivateKey($0, passphrase: passphrase.passphrase(command: command), command: command) }
    }
}

private func loadPrivateKey(_ path: String, passphrase: String?, command: String) throws -> PrivateKey {
    do {
        return try PrivateKey(contentsOf: path, passphrase: passphrase)
    } catch {
        printError("dcmveil \(command): \(path): \(error)")
        throw DcmVeilExit.usage
    }
}

/// `--jobs`, for every command that works on many files at once.
struct JobsOption: ParsableArguments {
    // .unconditional: "--jobs -1" is read as a (refused) value, not as an unknown option "-1".
    @Option(parsing: .unconditional, help: "Files processed at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }
}

/// Ends a command with `code`: returning is success, anything else is thrown for ArgumentParser to exit with.
func finish(with code: ExitCode) throws {
    guard code == DcmVeilExit.success else { throw code }
}
