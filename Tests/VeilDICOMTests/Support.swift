import Foundation
import Testing
import VeilDICOM

/// Swift Testing has a `Tag` of its own; in these tests it is always the DICOM one.
typealias Tag = VeilDICOM.Tag

/// The real sample files, put in `<repo>/.samples` by `scripts/fetch-samples` (run by `scripts/setup`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let samplesDirectory = packageRoot.appendingPathComponent(".samples").standardized.path

func sample(_ name: String) -> String { "\(samplesDirectory)/\(name)" }

/// Every .dcm in the shared samples, so a new sample is tested without touching the tests.
let sampleNames: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory)) ?? [])
    .filter { $0.hasSuffix(".dcm") }.sorted()

/// Whether an executable is on PATH (tests needing a tool skip without it).
func toolExists(_ name: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
}

/// Runs a command; returns its exit status and standard output.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
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

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "veildicom-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// What pydicom says about a file: its geometry, and (when it can decode them) all frames' stored values.
struct PydicomReference: Decodable {
    let rows, columns, frames, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation: Int
    let photometricInterpretation: String
    let decoded: Bool
    var samples: [Int32] = []

    private enum CodingKeys: String, CodingKey {
        case rows, columns, frames, samplesPerPixel, bitsAllocated, bitsStored, highBit, pixelRepresentation
        case photometricInterpretation, decoded
    }

    private static let script = """
        import json, sys, numpy, pydicom
        d = pydicom.dcmread(sys.argv[1])
        out = dict(rows=d.Rows, columns=d.Columns, frames=int(d.get("NumberOfFrames", 1)),
                   samplesPerPixel=d.SamplesPerPixel, bitsAllocated=d.BitsAllocated, bitsStored=d.BitsStored,
                   highBit=d.HighBit, pixelRepresentation=d.PixelRepresentation,
                   photometricInterpretation=d.PhotometricInterpretation, decoded=True)
        try:
            d.pixel_array.astype("<i4").tofile(sys.argv[2])
        except Exception:
            out["decoded"] = False
        print(json.dumps(out))
        """

    static var isAvailable: Bool {
        (try? run("python3", ["-c", "import pydicom, numpy"]).status) == 0
    }

    static func of(_ path: String) throws -> PydicomReference {
        try withTemporaryDirectory { directory throws in
            let pixels = "\(directory)/pixels.i32"
            let result = try run("python3", ["-c", script, path, pixels])
            var reference = try JSONDecoder().decode(PydicomReference.self, from: Data(result.output.utf8))
            if reference.decoded {
                let data = try Data(contentsOf: URL(fileURLWithPath: pixels))
                reference.samples = stride(from: 0, to: data.count, by: 4).map { offset in
                    Int32(bitPattern: (0..<4).reduce(0) { $0 | UInt32(data[data.startIndex + offset + $1]) << (8 * $1) })
                }
            }
            return reference
        }
    }
}

extension DicomFile {
    /// Stored values of all frames, in order.
    func allSamples() throws -> [Int32] {
        try (0..<frameCount).flatMap { try frame($0).samples }
    }
}
