import ArgumentParser
import Foundation
import VeilCrypto

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
