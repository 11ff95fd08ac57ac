import VeilFileSystem
import VeilCrypto
#if canImport(Glibc)
import Glibc
#endif

/// The secret that keys UID replacement (SPEC §4). `protect` needs only a certificate: without a
/// configured secret one is created in the *operator's* state on first use and reused by every
/// later run, whatever its output, so UIDs stay consistent across outputs. It is never kept in an
/// output tree: whoever receives a copy of the tree could test guesses of the original UIDs with it.
package enum SiteSecret {
    static let fileName = "site-secret"
    static let byteCount = 32

    /// The operator's state folder: `$DCMVEIL_STATE_DIR`, else `$XDG_STATE_HOME/dcmveil`, else
    /// `~/.local/state/dcmveil`.
    package static var operatorStateDirectory: String {
        let environment = { (name: String) in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let explicit = environment("DCMVEIL_STATE_DIR") { return explicit }
        if let xdg = environment("XDG_STATE_HOME") { return xdg.appending("dcmveil") }
        return (environment("HOME") ?? "/root").appending(".local/state/dcmveil")
    }

    /// Where the default secret lives.
    package static var defaultPath: String { operatorStateDirectory.appending(fileName) }

    /// The configured secret file as is, or the operator's own (created, mode 0600 in a 0700
    /// folder, when missing; a dry run gets a throwaway one instead, as it writes nothing). An
    /// output tree written by an earlier version still holds its secret in `.dcmveil/`: it is
    /// adopted as the operator's when the operator has none yet, and removed from the tree.
    package static func load(configured: String?, state: StateDirectory) throws(BatchError) -> [UInt8] {
        if let configured {
            let bytes = try BatchError.file(FileSystem.read(configured))
            guard !bytes.isEmpty else { throw .badState(path: configured, detail: "the site secret file is empty") }
            return bytes
        }
        let path = defaultPath
        let legacy = state.path.appending(fileName)
        let legacyBytes = FileSystem.kind(of: legacy, follow: false) != nil ? try read(legacy) : nil
        if FileSystem.kind(of: path, follow: true) != nil {
            let bytes = try read(path)
            if let legacyBytes, legacyBytes != bytes {
                throw .badState(path: legacy, detail: "this output was made with another site secret than the operator's (\(path)); give it with --site-secret to keep its UIDs, then delete it from the output")
            }
            if legacyBytes != nil, !state.readOnly { unlink(legacy) }
            return bytes
        }
        let secret = legacyBytes ?? SecureRandom.bytes(byteCount)
        if state.readOnly { return secret }
        try BatchError.file(FileSystem.makeDirectories(operatorStateDirectory))
        chmod(operatorStateDirectory, 0o700)
        try BatchError.file(AtomicFile.write(secret, to: path, mode: 0o600))
        if legacyBytes != nil { unlink(legacy) }
        return secret
    }

    private static func read(_ path: String) throws(BatchError) -> [UInt8] {
        let bytes = try BatchError.file(FileSystem.read(path))
        guard bytes.count == byteCount else {
            throw .badState(path: path, detail: "a site secret has \(byteCount) bytes, this file has \(bytes.count); restore it from a backup (a new secret would give every instance new UIDs)")
        }
        return bytes
    }
}
