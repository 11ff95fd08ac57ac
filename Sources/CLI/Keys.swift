import ArgumentParser
import Foundation
import VeilCrypto

/// Loads a private key for a command, turning failures into a usage error that names the file.
func loadPrivateKey(_ path: String, passphraseFile: String?) throws -> PrivateKey {
    do {
        let passphrase = try passphraseFile.map {
            try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .newlines)
        }
        return try PrivateKey(contentsOf: path, passphrase: passphrase)
    } catch {
        printError("dcmveil: cannot use the private key \(path): \(error)")
        throw DcmVeilExit.usage
    }
}

/// Loads the recipient's certificate for a command.
func loadCertificate(_ path: String) throws -> Certificate {
    do {
        return try Certificate(contentsOf: path)
    } catch {
        printError("dcmveil: cannot use the certificate \(path): \(error)")
        throw DcmVeilExit.usage
    }
}
