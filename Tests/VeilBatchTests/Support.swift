import Foundation

/// A fresh directory under the system's temporary directory, removed by the caller.
func temporaryDirectory(_ name: String = #function) throws -> String {
    let path = NSTemporaryDirectory() + "veilbatch-" + name.filter(\.isLetter) + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
