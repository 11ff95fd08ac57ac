import Foundation
import Testing
import VeilTestSupport

/// A scratch directory with keys, a shared site secret and a clean sample tree of several
/// patients and studies (plus one non-DICOM file), for the `--shard` tests.
final class ShardTree {
    let root: String
    static let secret = "site-secret"

    init(patients: Int, studies: Int, slices: Int) throws {
        root = NSTemporaryDirectory() + "dcmveil-shard-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #require(Command.run("keygen", "--out", "keys", in: root).status == 0)
        let sample = try Command.run("sample", "--out", "in", "--patients", "\(patients)", "--studies", "\(studies)",
                                     "--series", "1", "--slices", "\(slices)", in: root)
        try #require(sample.status == 0, "\(sample.stderr)")
        try Data("not DICOM at all\n".utf8).write(to: URL(fileURLWithPath: root + "/in/notes.txt"))
        try Data((0..<32).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }).write(to: URL(fileURLWithPath: root + "/" + Self.secret))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// `protect in --out OUT` with the shared secret.
    func protect(_ out: String, _ extra: String...) throws -> Command.Result {
        try Command.run(["protect", "in", "--out", out, "--cert", "keys/certificate.pem", "--site-secret", Self.secret,
                         "--jobs", "2"] + extra, in: root)
    }

    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)), as: UTF8.self)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + "/" + path) }

    /// A run record (`run.json`) as a dictionary.
    func runRecord(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/" + path))) as? [String: Any])
    }

    /// Records per shard, as `--shard-plan N` prints them (files column), by shard index.
    func plannedFiles(_ shards: Int) throws -> [Int] {
        let plan = try protect("plan", "--shard-plan", "\(shards)")
        try #require(plan.status == 0, "\(plan.stderr)")
        return plan.stdout.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: " ")
            return columns.count == 4 && Int(columns[0]) != nil ? Int(columns[2]) : nil
        }
    }
}

/// The dcmveil binary's folder, for scripts that call `dcmveil` from PATH.
var binaryPath: String {
    Command.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
}

/// The repository's `deploy/` folder.
let deployFolder = packageRoot + "/deploy"
