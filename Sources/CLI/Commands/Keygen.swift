import ArgumentParser
import Foundation
import VeilCrypto
import VeilFileSystem

struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an RSA-2048 private key (mode 0600) and a self-signed X.509 certificate (PEM).",
        discussion: """
        Give certificate.pem to whoever protects images for you; keep private-key.pem to restore them. \
        An existing key is never overwritten: losing it would make every image protected for it \
        unrecoverable.
        """)

    @Option(help: "Directory for private-key.pem and certificate.pem (created if missing).")
    var out: String

    @Option(help: "Common name in the certificate's subject.")
    var commonName = "dcmveil recipient"

    @Option(help: "Certificate validity in days.")
    var days = 3650

    func validate() throws {
        if !(1...36500).contains(days) { throw ValidationError("--days must be in 1...36500.") }
    }

    func run() async throws {
        let directory = URL(fileURLWithPath: out)
        let keyPath = directory.appendingPathComponent("private-key.pem").path
        let certificatePath = directory.appendingPathComponent("certificate.pem").path
        for path in [keyPath, certificatePath] where FileManager.default.fileExists(atPath: path) {
            printError("dcmveil keygen: \(path) already exists; refusing to overwrite it")
            throw DcmVeilExit.failure
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let key = try PrivateKey.generateRSA(bits: 2048)
            let certificate = try Certificate.selfSigned(key: key, commonName: commonName, validityDays: days)
            // Never replacing a file (a key that appeared meanwhile stays), created with its final
            // mode so that a key is never readable by others, even briefly.
            try AtomicFile.write(Array(try key.pemEncoded().utf8), to: keyPath, mode: 0o600, replacing: false)
            do {
                try AtomicFile.write(Array(certificate.pemEncoded.utf8), to: certificatePath, replacing: false)
            } catch {
                unlink(keyPath)  // ours, just written: a key without its certificate helps nobody
                throw error
            }
            print("private key:  \(keyPath) (keep it secret; mode 0600)")
            print("certificate:  \(certificatePath) (\(certificate.subject))")
            print("fingerprint:  \(key.publicKey.shortFingerprint)")
            print("SHA-256 of the public key: \(key.publicKey.fingerprint.map { String(format: "%02x", $0) }.joined())")
        } catch {
            printError("dcmveil keygen: \(error)")
            throw DcmVeilExit.failure
        }
    }
}
