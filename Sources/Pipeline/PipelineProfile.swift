import VeilCrypto
import VeilDICOM

/// Per-stage timings of protecting and restoring one instance, for `pipeline-bench`: the real
/// `InstanceProtector` and `InstanceRestorer` run with a `StageRecorder`, so what is timed is what
/// runs. `allocations` (if the caller can count mallocs) is read around each stage.
package enum PipelineProfile {
    package typealias Stage = StageRecorder.Stage

    /// One protect and restore of `fileBytes`; checks the restored file is the original.
    /// `textRegions`: `textRegions.detect` (auto, always or never).
    package static func run(fileBytes: [UInt8], recipient: Certificate, key: PrivateKey, textRegions: String = "auto",
                           allocations: (() -> Int)? = nil) throws -> [Stage] {
        let stages = StageRecorder(allocations: allocations)
        var configuration = ProtectionConfiguration()
        configuration.textRegions.detect = textRegions
        let protector = InstanceProtector(recipient: recipient, configuration: configuration,
                                          siteSecret: [UInt8](repeating: 7, count: 32))
        stages.phase = "protect"
        // The batch hashes every input (for the manifest and resumption) and hands protect the digest.
        let digest = stages.time("input SHA-256 (batch)") { SHA256.hash(fileBytes) }
        let protected = try stages.time("InstanceProtector.protect (all)") {
            let file = try stages.time("read + parse (DCMTK)") { try DicomFile(bytes: fileBytes, name: "profile.dcm") }
            return try protector.protect(file, fileSHA256: digest, stages: stages)
        }
        _ = stages.time("output SHA-256 (batch)") { SHA256.hash(protected.fileBytes) }
        stages.phase = "restore"
        _ = stages.time("input SHA-256 (batch)") { SHA256.hash(protected.fileBytes) }
        let restored = try stages.time("InstanceRestorer.restore (all)") {
            let file = try stages.time("read + parse (DCMTK)") { try DicomFile(bytes: protected.fileBytes, name: "protected.dcm") }
            return try InstanceRestorer(key: key).restore(file, stages: stages)
        }
        guard restored.fileBytes == fileBytes else { throw ProtectionError.verificationFailed("profile: restored file differs") }
        return stages.stages
    }
}
