import ArgumentParser
import Foundation
import VeilCrypto

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
            try writeNewFile(keyPath, Array(try key.pemEncoded().utf8), mode: 0o600)
            do {
                try writeNewFile(certificatePath, Array(certificate.pemEncoded.utf8), mode: 0o644)
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

/// Why writing a new file failed.
private struct FileWriteError: Error, CustomStringConvertible {
    let path: String
    let operation: String
    let code: Int32
    var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Writes `bytes` to `path` all at once or not at all, never replacing an existing file: the bytes go
/// to a temporary file (created with `mode`, so a key is never readable by others, even briefly),
/// reach the disk, and are then hard-linked into place, which fails if `path` appeared meanwhile.
private func writeNewFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
    let temporary = path + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw FileWriteError(path: temporary, operation: "create", code: errno) }
    defer { unlink(temporary) }
    var written = 0
    while written < bytes.count {
        let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard result > 0 else {
            let code = errno
            close(descriptor)
            throw FileWriteError(path: temporary, operation: "write", code: code)
        }
        written += result
    }
    guard fsync(descriptor) == 0 else {
        let code = errno
        close(descriptor)
        throw FileWriteError(path: temporary, operation: "sync", code: code)
    }
    close(descriptor)
    guard link(temporary, path) == 0 else { throw FileWriteError(path: path, operation: "create", code: errno) }
    let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directory >= 0 {
        fsync(directory)
        close(directory)
    }
}
