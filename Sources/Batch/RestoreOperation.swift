import VeilCrypto
import VeilDICOM
import VeilPipeline

/// `restore`: each instance through `InstanceRestorer`, written under its original relative path
/// (from the sealed restoration record), else at the path mirroring its input.
package struct RestoreOperation: InstanceOperation {
    package let restorer: InstanceRestorer
    package var operation: Operation { .restore }
    package var keyFingerprint: String { restorer.key.publicKey.shortFingerprint }
    package var settings: String { "restore\nkey \(restorer.key.publicKey.fingerprint.hex)\n" }

    package init(key: PrivateKey) {
        restorer = InstanceRestorer(key: key)
    }

    package func plannedOutput(for input: InputFile) -> String? { nil }

    package func process(_ file: DicomFile, input: InputFile, fileSHA256: [UInt8]) throws -> ProcessedInstance {
        let instance = try restorer.restore(file)
        return ProcessedInstance(
            bytes: instance.fileBytes, output: instance.originalPath.flatMap(Self.safeRelativePath) ?? input.relativePath,
            status: instance.pixelsRestored ? .restored : .reidentified,
            reason: instance.warnings.isEmpty ? nil : instance.warnings.joined(separator: "; "),
            pixelSHA256: instance.pixelSHA256, byteExact: instance.byteExact,
            bytesSHA256: instance.byteExact ? instance.fileSHA256 : nil)
    }

    /// `path` when it stays inside the output directory (relative, no `..`, no empty or `.` parts).
    static func safeRelativePath(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
              !path.contains("\0"), !parts.contains(where: { $0 == ".dcmveil" }) else { return nil }
        return path
    }
}
