import VeilFileSystem
import VeilCrypto
import VeilDICOM

/// The two operations on files, as the command line runs them: every input is read and every check
/// passes before anything is written, and each output appears atomically, so an error leaves nothing.
extension Steganography {
    /// Hides the file at `secretPath` in the image at `coverPath` for the key in `certificatePath`, writes
    /// the stego image to `outPath` and, if `reportDirectory` is given, the evaluation report there.
    @discardableResult
    package static func hide(
        secret secretPath: String, cover coverPath: String, certificate certificatePath: String,
        order: EmbeddingOrder, to outPath: String, report reportDirectory: String? = nil
    ) throws(StegoError) -> (hidden: Hidden, report: StegoReport?) {
        let certificate: Certificate
        do {
            certificate = try Certificate(contentsOf: certificatePath)
        } catch {
            throw .unreadable(path: certificatePath, reason: "\(error)")
        }
        let secret = try readFile(secretPath)
        let cover = try CoverImage.read(coverPath)
        let hidden = try hide(secret, in: cover, for: certificate.publicKey, order: order)
        let report = try reportDirectory.map { _ throws(StegoError) in
            try StegoReport(secret: secret, secretName: secretPath, cover: cover, hidden: hidden, order: order)
        }
        try write(hidden.encoded, to: outPath)
        if let reportDirectory { try report?.write(to: reportDirectory) }
        return (hidden, report)
    }

    /// Reveals the secret hidden in the image at `stegoPath` with `key` and writes it, byte-identical
    /// to what was hidden, to `outPath`. Returns the secret.
    @discardableResult
    package static func reveal(_ stegoPath: String, key: PrivateKey, to outPath: String) throws(StegoError) -> [UInt8] {
        let secret = try reveal(from: CoverImage.read(stegoPath), with: key)
        try write(secret, to: outPath)
        return secret
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(StegoError) {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .file(error)
        }
    }
}
