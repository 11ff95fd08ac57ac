import VeilFileSystem
import VeilCrypto

/// The secret that keys UID replacement (SPEC §4). `protect` needs only a certificate: without a
/// configured secret one is created in the output's state on the first run and reused after, so
/// that a series protected in several nightly runs stays one coherent series.
public enum SiteSecret {
    static let fileName = "site-secret"
    static let byteCount = 32

    /// The configured secret file as is, or the output's own (created, mode 0600, when missing;
    /// a dry run gets a throwaway one instead, as it writes nothing).
    public static func load(configured: String?, state: StateDirectory) throws(BatchError) -> [UInt8] {
        if let configured {
            let bytes = try BatchError.file(FileSystem.read(configured))
            guard !bytes.isEmpty else { throw .badState(path: configured, detail: "the site secret file is empty") }
            return bytes
        }
        let path = state.path.appending(fileName)
        if FileSystem.kind(of: path, follow: true) != nil {
            let bytes = try BatchError.file(FileSystem.read(path))
            guard bytes.count == byteCount else {
                throw .badState(path: path, detail: "a site secret has \(byteCount) bytes, this file has \(bytes.count); restore it from a backup (a new secret would give every instance new UIDs)")
            }
            return bytes
        }
        let secret = SecureRandom.bytes(byteCount)
        if state.readOnly { return secret }
        try BatchError.file(AtomicFile.write(secret, to: path, mode: 0o600))
        return secret
    }
}
