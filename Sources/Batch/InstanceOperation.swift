import VeilDICOM

/// What a batch does to each DICOM instance: protect it or restore it. The runner owns everything
/// else (walking, hashing, writing, the manifest); an operation only turns a file into bytes.
package protocol InstanceOperation: Sendable {
    var operation: Operation { get }
    /// What the outputs depend on besides the inputs (key, configuration, layout, secret).
    /// When it differs from the last run's, no earlier output is reused.
    var settings: String { get }
    /// The short fingerprint of the key the outputs are for (or made with), for `run.json`.
    var keyFingerprint: String { get }
    /// The output path (relative) known before processing, or nil when the content decides it.
    func plannedOutput(for input: InputFile) -> String?
    /// `fileSHA256`: the digest of the input's bytes, which the runner computed for the manifest.
    func process(_ file: DicomFile, input: InputFile, fileSHA256: [UInt8]) throws -> ProcessedInstance
}

/// One instance's output and the record fields that only the operation knows.
package struct ProcessedInstance: Sendable {
    package var bytes: [UInt8]
    /// Relative to the output directory.
    package var output: String
    package var status: ManifestRecord.Status
    package var reason: String?
    package var pixelSHA256: String?
    package var frames: [ManifestRecord.Frame]?
    package var byteExact: Bool?
    /// SHA-256 of `bytes` when the operation already knows it (a byte-exact restore checked it).
    package var bytesSHA256: [UInt8]?
}

/// How protected outputs are named.
package enum OutputLayout: String, Sendable, CaseIterable {
    /// The inputs' relative paths.
    case mirror
    /// `study/series/instance.dcm` by the new UIDs: hospital folder names often carry patient names.
    case uids
}
