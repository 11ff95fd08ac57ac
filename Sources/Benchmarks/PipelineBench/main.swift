// pipeline-bench: per-stage profile of one instance through `protect` and `restore`, as the
// pipeline runs them, with OpenSSL, libqrencode, zbar and DCMTK doing their real work, and the
// allocations (malloc calls) of each stage.
//
//   swift run -c release pipeline-bench [--iterations N] [FILE.dcm ...]
//
// Without files it writes 8 synthetic 512×512 CT slices (`dcmveil sample`'s generator) to a
// temporary folder and cycles through them. Prints the median time and allocation count per stage.
internal import CMallocCounter
import Foundation
import VeilBatch  // MemoryPolicy: the malloc tuning `dcmveil` runs with
import VeilCrypto
import VeilPipeline
import VeilSample

MemoryPolicy.keepFreedMemory()
var iterations = 15
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--iterations", let value = arguments.popFirst().flatMap(Int.init) { iterations = value } else { paths.append(argument) }
}
func readFiles(_ paths: [String]) throws -> [[UInt8]] {
    try paths.map { path in
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        return [UInt8](data)
    }
}
let files: [[UInt8]]
if paths.isEmpty {
    let folder = NSTemporaryDirectory() + "pipeline-bench-\(getpid())"
    var tree = SampleTree()
    (tree.patients, tree.seriesPerStudy, tree.slicesPerSeries) = (1, 1, 8)
    files = try readFiles(try tree.write(to: folder))
    try? FileManager.default.removeItem(atPath: folder)
} else {
    files = try readFiles(paths)
}

let key = try PrivateKey.generateRSA(bits: 2048)
let certificate = try Certificate.selfSigned(key: key, commonName: "pipeline-bench")
func allocations() -> Int { malloc_counter_allocations() }

var order: [String] = []
var times: [String: [Double]] = [:]
var counts: [String: [Int]] = [:]
// One warm-up run (lazy tables, OpenSSL initialisation), then the measured ones.
_ = try PipelineProfile.run(fileBytes: files[0], recipient: certificate, key: key, allocations: allocations)
for iteration in 0..<iterations {
    for stage in try PipelineProfile.run(fileBytes: files[iteration % files.count], recipient: certificate, key: key,
                                         allocations: allocations) {
        let name = stage.phase + "\u{1}" + stage.name
        if times[name] == nil { order.append(name) }
        times[name, default: []].append(stage.seconds * 1000)
        if let count = stage.allocations { counts[name, default: []].append(count) }
    }
}

func median<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }
print("pipeline-bench: \(paths.isEmpty ? "synthetic 512×512 CT" : paths.count == 1 ? paths[0] : "\(paths.count) files from \(paths[0])"), median of \(iterations) runs over \(files.count) instances (ms; mallocs)")
var phase = ""
for name in order {
    let parts = name.split(separator: "\u{1}", maxSplits: 1).map(String.init)
    if parts[0] != phase {
        phase = parts[0]
        print("\n\(phase)")
    }
    let allocationText = counts[name].map { String(median($0)) } ?? ""
    let label = parts[1].padding(toLength: 40, withPad: " ", startingAt: 0)
    print("  \(label) \(String(format: "%8.3f", median(times[name]!)))  \(allocationText.leftPadded(8))")
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
