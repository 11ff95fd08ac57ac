import Dispatch
import Foundation

/// What a program run by a test did.
public struct ProcessResult: Sendable {
    public var status: Int32
    /// The signal that killed the process (then `status` is that signal's number too).
    public var signal: Int32?
    public var output: [UInt8]
    public var stderr: String
    public var stdout: String { String(decoding: output, as: UTF8.self) }
}

/// Starts `executable` with `arguments`, in `directory`, with `environment` added to ours; output
/// is captured for `finish` (or discarded).
public func startProcess(_ executable: URL, _ arguments: [String], in directory: String? = nil,
                         environment: [String: String] = [:], capture: Bool = true, input: [UInt8]? = nil) throws -> Process {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = capture ? Pipe() : FileHandle.nullDevice
    process.standardError = capture ? Pipe() : FileHandle.nullDevice
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        // Written meanwhile, so a program that answers before reading all of it cannot block us.
        DispatchQueue.global().async {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
    }
    return process
}

/// Waits for a process started with its output captured and collects that output. Both pipes
/// are read at once: a child filling one while we wait on the other would never finish (a crash's
/// backtrace alone can fill a pipe).
public func finishProcess(_ process: Process) -> ProcessResult {
    let (out, err) = (process.standardOutput as? Pipe, process.standardError as? Pipe)
    final class Box: @unchecked Sendable { var data = Data() }  // written by one task, read after `group.wait()`
    let stderr = Box()
    let group = DispatchGroup()
    if let err { DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() } }
    let stdout = out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
                         output: Array(stdout), stderr: String(decoding: stderr.data, as: UTF8.self))
}

/// Runs a program found on PATH to completion.
public func runProgram(_ program: String, _ arguments: [String], in directory: String? = nil, input: [UInt8]? = nil,
                       environment: [String: String] = [:]) throws -> ProcessResult {
    finishProcess(try startProcess(URL(fileURLWithPath: "/usr/bin/env"), [program] + arguments, in: directory,
                                   environment: environment, input: input))
}

/// The built `dcmveil` binary, run as swift-argument-parser's example tests run theirs.
public enum Command {
    public typealias Result = ProcessResult

    /// `.build/debug/dcmveil` next to the test bundle.
    public static let binary: URL = {
        let candidate = Bundle.main.bundleURL.appendingPathComponent("dcmveil")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return URL(fileURLWithPath: packageRoot + "/.build/debug/dcmveil")
    }()

    /// Runs `dcmveil arguments...` to completion.
    @discardableResult
    public static func run(_ arguments: String..., in directory: String) throws -> Result {
        try run(arguments, in: directory)
    }

    /// Runs `dcmveil arguments` to completion, with `environment` added to ours.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        finish(try start(arguments, in: directory, environment: environment))
    }

    /// Starts `dcmveil arguments` without waiting (output discarded unless captured). The operator's
    /// state (the site secret) is `directory`'s `operator-state` unless `environment` says otherwise,
    /// so tests never touch the real one.
    public static func start(_ arguments: [String], in directory: String, capture: Bool = true,
                             environment: [String: String] = [:]) throws -> Process {
        let isolated = ["DCMVEIL_STATE_DIR": directory + "/operator-state"].merging(environment) { $1 }
        return try startProcess(binary, arguments, in: directory, environment: isolated, capture: capture)
    }

    public static func finish(_ process: Process) -> Result { finishProcess(process) }
}
