import Foundation
import Testing
import VeilCrypto
import VeilDICOM
import VeilImageIO
import VeilTestSupport

/// Swift Testing has a `Tag` of its own; in these tests it is always the DICOM one.
typealias Tag = VeilDICOM.Tag

func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// A fresh directory, removed when the test ends.
final class Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "veil-stego-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }
}

/// A recipient's key pair as PEM files, made once per test run (RSA key generation is slow).
struct Recipient: Sendable {
    let key: PrivateKey
    let keyPath: String
    let certificatePath: String

    static let main = Recipient(name: "main")
    static let other = Recipient(name: "other")

    private init(name: String) {
        let directory = NSTemporaryDirectory() + "veil-stego-keys-\(getpid())-\(name)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        key = try! PrivateKey.generateRSA(bits: 2048)
        keyPath = directory + "/private-key.pem"
        certificatePath = directory + "/certificate.pem"
        try! Data(try! key.pemEncoded().utf8).write(to: URL(fileURLWithPath: keyPath))
        try! Data(try! Certificate.selfSigned(key: key, commonName: name).pemEncoded.utf8)
            .write(to: URL(fileURLWithPath: certificatePath))
    }
}

/// A deterministic, textured test picture: a gradient with pseudo-random noise, so LSBs vary like a photograph's.
func testSamples(count: Int, maximum: Int, seed: UInt64 = 7) -> [UInt16] {
    var state = seed
    return (0..<count).map { index in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let noise = Int(state >> 58)
        return UInt16(min(maximum, (index * 7 / 5 + noise) % (maximum + 1)))
    }
}

/// Runs python3 with a script and arguments; returns its exit status and output (errors included).
func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try run("python3", ["-c", script] + arguments, mergingErrors: true)
}
