import Foundation
import Testing
import VeilTestSupport

/// Runs a command-line tool (openssl, zbarimg, gdcmanon) as an independent client of our output.
@discardableResult
func run(_ tool: String, _ arguments: [String], input: [UInt8]? = nil) throws -> (status: Int32, output: [UInt8], error: String) {
    let result = try runProgram(tool, arguments, input: input ?? [])
    return (result.status, result.output, result.stderr)
}

/// Runs a tool that must succeed, returning its standard output.
@discardableResult
func runChecked(_ tool: String, _ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
    let result = try run(tool, arguments, input: input)
    try #require(result.status == 0, "\(tool) \(arguments.joined(separator: " ")) failed: \(result.error)")
    return result.output
}


/// A fresh directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("veil-interop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
