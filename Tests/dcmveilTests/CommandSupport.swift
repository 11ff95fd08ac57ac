import Foundation
import Testing
import VeilTestSupport

/// A scratch directory with keys and a small sample tree with junk, a truncated file and a
/// directory symlink loop in it, shared by the tests of one suite instance.
final class Workspace {
    let root: String

    init(slices: Int = 4) throws {
        root = NSTemporaryDirectory() + "dcmveil-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #require(Command.run("keygen", "--out", "keys", in: root).status == 0)
        try #require(Command.run("sample", "--out", "in", "--patients", "1", "--series", "1", "--slices", "\(slices)", in: root).status == 0)
        try Data("not DICOM at all\n".utf8).write(to: URL(fileURLWithPath: root + "/in/notes.txt"))
        let first = try #require(files(under: "in").first { $0.hasSuffix(".dcm") })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/" + first))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: root + "/in/truncated.dcm"))
        try FileManager.default.createDirectory(atPath: root + "/in/links", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/in/links/up", withDestinationPath: "..")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func protect(_ out: String, _ extra: String..., environment: [String: String] = [:]) throws -> Command.Result {
        // Mirror layout: these tests are about the batch, and name outputs by their inputs.
        try Command.run(["protect", "in", "--out", out, "--cert", "keys/certificate.pem", "--jobs", "2", "--layout", "mirror"] + extra, in: root,
                        environment: environment)
    }

    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)), as: UTF8.self)
    }

    /// Every file under `directory` (relative to the workspace), sorted, hidden ones included.
    func files(under directory: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root + "/" + directory)!
        return enumerator.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + directory + "/" + $0, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.map { directory + "/" + $0 }.sorted()
    }

    /// Inode and modification time, to tell a file left alone from one rewritten.
    func identity(_ path: String) throws -> [String] {
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + path)
        return ["\(attributes[.systemFileNumber]!)", "\(attributes[.modificationDate]!)"]
    }
}

/// A manifest without what a fresh content key changes: the output's bytes, and the payload's size
/// and capacity (the location maps, and so the side information's length, depend on the encrypted
/// payload's bits: one 8-byte block more or less).
func comparable(_ manifest: String) -> String {
    manifest.replacing(/"output_sha256":"[0-9a-f]+"/, with: "\"output_sha256\":\"*\"")
        .replacing(/"capacity_bits":[0-9]+/, with: "\"capacity_bits\":*")
        .replacing(/"payload_bytes":[0-9]+/, with: "\"payload_bytes\":*")
}
