import Foundation
import Testing
import VeilBatch
import VeilCrypto
import VeilTestSupport

/// A scratch directory with keys and a small sample study (1 patient, 2 series of 3 slices).
final class Workspace {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "dcmveil-net-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #require(run("keygen", "--out", "keys").status == 0)
        try #require(run("sample", "--out", "in", "--patients", "1", "--series", "2", "--slices", "3").status == 0)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    @discardableResult
    func run(_ arguments: String...) throws -> Command.Result {
        try Command.run(arguments, in: root)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Command.Result {
        try Command.run(arguments, in: root)
    }

    func protect(_ out: String, _ extra: String...) throws -> Command.Result {
        // Mirror layout: the messages these tests read name outputs by their inputs.
        try Command.run(["protect", "in", "--out", out, "--cert", "keys/certificate.pem", "--jobs", "2", "-q", "--layout", "mirror"] + extra, in: root)
    }

    func manifest(_ out: String) throws -> [ManifestRecord] {
        try Manifest.read(root + "/" + out + "/" + Manifest.fileName)
    }

    /// SHA-256 of every DICOM file under `directory`, bookkeeping left out, as a sorted list.
    func hashes(under directory: String) throws -> [String] {
        let base = root + "/" + directory
        let names = FileManager.default.enumerator(atPath: base)!.compactMap { $0 as? String }
        return try names.filter { $0.hasSuffix(".dcm") && !$0.contains(StateDirectory.name) }
            .map { try sha256(Data(contentsOf: URL(fileURLWithPath: base + "/" + $0))) }.sorted()
    }
}

func sha256(_ data: Data) -> String {
    SHA256.hash([UInt8](data)).map { String(format: "%02x", $0) }.joined()
}
