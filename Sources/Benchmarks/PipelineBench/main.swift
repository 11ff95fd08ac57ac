// pipeline-bench: per-stage profile of one instance through `protect` and `restore`, as the
// pipeline runs them, with OpenSSL, libqrencode, zbar and DCMTK doing their real work, and the
// allocations (malloc calls) of each stage.
//
//   swift run -c release pipeline-bench [--iterations N] [--text-regions auto|always|never] [FILE.dcm ...]
//
// Without files it writes 8 synthetic 512×512 CT slices (`dcmveil sample`'s generator) to a
// temporary folder and cycles through them. Prints the median time and allocation count per stage
// (a stage run once per plane or frame is summed over the instance).
internal import CMallocCounter
import Foundation
import VeilBatch  // MemoryPolicy: the malloc tuning `dcmveil` runs with
import VeilCrypto
import VeilPipeline
import VeilSample

MemoryPolicy.keepFreedMemory()
var iterations = 15
var textRegions = "auto"
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pipeline-bench: \(message)\n".utf8))
    exit(2)
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--iterations":
        guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else { fail("--iterations needs a positive number") }
        iterations = value
    case "--text-regions":
        guard let value = arguments.popFirst(), ["auto", "always", "never"].contains(value) else { fail("--text-regions is auto, always or never") }
        textRegions = value
    case "-h", "--help":
        print("usage: pipeline-bench [--iterations N] [--text-regions auto|always|never] [FILE.dcm ...]")
        exit(0)
    default:
        paths.append(argument)
    }
}
func readFiles(_ paths: [String]) -> [[UInt8]] {
    paths.map { path in
        guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
        return [UInt8](data)
    }
}
let files: [[UInt8]]
if paths.isEmpty {
    let folder = NSTemporaryDirectory() + "pipeline-bench-\(getpid())"
    var tree = SampleTree()
    (tree.patients, tree.seriesPerStudy, tree.slicesPerSeries) = (1, 1, 8)
    files = readFiles(try tree.write(to: folder))
    try? FileManager.default.removeItem(atPath: folder)
} else {
    files = readFiles(paths)
}

let key = try PrivateKey.generateRSA(bits: 2048)
let certificate = try Certificate.selfSigned(key: key, commonName: "pipeline-bench")
func allocations() -> Int { malloc_counter_allocations() }

var order: [String] = []
var times: [String: [Double]] = [:]
var counts: [String: [Int]] = [:]
// One warm-up run (lazy tables, OpenSSL initialisation), then the measured ones.
_ = try PipelineProfile.run(fileBytes: files[0], recipient: certificate, key: key, textRegions: textRegions, allocations: allocations)
for iteration in 0..<iterations {
    // A stage that runs more than once per instance (once per plane or frame) counts its total.
    var runTimes: [String: Double] = [:], runCounts: [String: Int] = [:]
    for stage in try PipelineProfile.run(fileBytes: files[iteration % files.count], recipient: certificate, key: key,
                                         textRegions: textRegions, allocations: allocations) {
        let name = stage.phase + "\u{1}" + stage.name
        if times[name] == nil && runTimes[name] == nil { order.append(name) }
        runTimes[name, default: 0] += stage.seconds * 1000
        if let count = stage.allocations { runCounts[name, default: 0] += count }
    }
    for (name, time) in runTimes { times[name, default: []].append(time) }
    for (name, count) in runCounts { counts[name, default: []].append(count) }
}

func median<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }
print("pipeline-bench: \(paths.isEmpty ? "synthetic 512×512 CT" : paths.count == 1 ? paths[0] : "\(paths.count) files from \(paths[0])"), median of \(iterations) runs over \(files.count) instances (ms; mallocs), text regions \(textRegions)")
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
