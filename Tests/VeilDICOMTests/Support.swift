import Foundation
import Testing
import VeilDICOM
import VeilTestSupport

/// Swift Testing has a `Tag` of its own; in these tests it is always the DICOM one.
typealias Tag = VeilDICOM.Tag

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
