// Helpers every test target needs: where the repository and its real samples are, running an
// external program, temporary folders. One copy here instead of one per test target.
import Foundation

/// The repository's root folder.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The real sample files, put in `<repo>/.samples` by `scripts/fetch-samples` (run by `scripts/setup`).
public let samplesDirectory = packageRoot + "/.samples"

public func sample(_ name: String) -> String { "\(samplesDirectory)/\(name)" }

/// Every .dcm among the samples, so a new sample is tested without touching the tests.
public let sampleNames: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory)) ?? [])
    .filter { $0.hasSuffix(".dcm") }.sorted()

/// Whether an executable is on PATH (tests needing a tool skip without it).
public func toolExists(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
}

/// Runs a program found on PATH; returns its exit status and standard output (with its standard
/// error after it when `mergingErrors`, for messages worth showing in a failed expectation).
@discardableResult
public func run(_ program: String, _ arguments: [String], mergingErrors: Bool = false) throws -> (status: Int32, output: String) {
    let result = try runProgram(program, arguments)
    return (result.status, result.stdout + (mergingErrors ? result.stderr : ""))
}

/// A fresh temporary directory, removed when `body` returns.
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "dcmveil-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

public func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}
