import Foundation

/// The files named on the command line: files as given, directories walked recursively in
/// sorted order (hidden files left out), so that a report lists its images reproducibly.
enum InputFiles {
    static func expand(_ inputs: [String]) -> [String] {
        inputs.flatMap { input -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue,
                  let walker = FileManager.default.enumerator(atPath: input) else { return [input] }
            let base = input.hasSuffix("/") ? input : input + "/"
            return walker.compactMap { $0 as? String }
                .filter { relative in
                    !relative.split(separator: "/").contains { $0.hasPrefix(".") }
                        && (try? FileManager.default.attributesOfItem(atPath: base + relative)[.type] as? FileAttributeType) == .typeRegular
                }
                .sorted()
                .map { base + $0 }
        }
    }
}
