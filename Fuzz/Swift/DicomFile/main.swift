// libFuzzer target: a whole DICOM file through the Swift read path: header, image geometry (every numeric
// attribute), frame decoding and stored values, and the display window the QR is drawn and read in.
import VeilCore
import VeilDICOM
@testable import VeilPipeline
import CFuzzDriver
import Glibc

/// One input. Exported under libFuzzer's name as well: -sanitize=fuzzer links libFuzzer's own main, which
/// may be the one that runs; the main below hands libFuzzer the same function, so either way is the same.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? DicomFile(bytes: Array(UnsafeBufferPointer(start: data, count: count)), name: "fuzz.dcm"),
          let geometry = file.geometry
    else { return 0 }
    // Decoding is bounded (16 MB of frames) so that a large claimed image is not an out-of-memory report.
    guard geometry.bytesPerFrame <= 1 << 24 else { return 0 }
    for index in 0..<min(geometry.frames, 4) {
        guard let pixels = try? file.frame(index) else { continue }
        if pixels.geometry.samplesPerPixel == 1, (8...16).contains(pixels.geometry.bitsStored) {
            let frame = Frame(pixels)
            _ = DisplayWindow(geometry: geometry, format: frame.format)
            _ = DisplayWindow(frame: frame, inverted: false)
        }
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in data.map { fuzz($0, count) } ?? 0 })
