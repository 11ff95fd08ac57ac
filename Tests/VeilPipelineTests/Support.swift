import Foundation
import Testing
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM
import VeilSample

/// Swift Testing has a `Tag` of its own; in these tests it is always the DICOM one.
typealias Tag = VeilDICOM.Tag

/// The real sample files, put in `<repo>/.samples` by `scripts/fetch-samples` (run by `scripts/setup`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let samplesDirectory = packageRoot.appendingPathComponent(".samples").standardized.path

func sample(_ name: String) -> String { "\(samplesDirectory)/\(name)" }

/// One key pair for the whole suite (RSA key generation is the slow part).
let testKeys: (key: PrivateKey, certificate: Certificate) = {
    let key = try! PrivateKey.generateRSA()
    return (key, try! Certificate.selfSigned(key: key, commonName: "dcmveil test recipient"))
}()

let otherKey: PrivateKey = try! PrivateKey.generateRSA()

func makeProtector(_ configuration: ProtectionConfiguration = ProtectionConfiguration()) -> InstanceProtector {
    InstanceProtector(recipient: testKeys.certificate, configuration: configuration,
                      siteSecret: Array("test site secret".utf8))
}

/// Runs a command; returns its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

func toolExists(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
}

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "dcmveil-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A few synthetic CT slices with fake identifying attributes, written once per test run.
let sampleTreeFiles: [String] = {
    let directory = NSTemporaryDirectory() + "dcmveil-pipeline-sample-" + UUID().uuidString
    var tree = SampleTree()
    tree.patients = 1
    tree.seriesPerStudy = 1
    tree.slicesPerSeries = 2
    return try! tree.write(to: directory)
}()
