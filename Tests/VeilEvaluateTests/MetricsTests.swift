import Foundation
import Testing
import VeilCore
@testable import VeilEvaluate

/// A deterministic frame pair: smooth structure plus noise, and a distorted copy.
func framePair(width: Int = 64, height: Int = 48, bits: Int) -> (Frame, Frame) {
    let peak = Int32((1 << bits) - 1)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int32 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int32(truncatingIfNeeded: state >> 33) % 64 - 32
    }
    let format = SampleFormat(bitsStored: bits, isSigned: false)
    let a = (0..<width * height).map { i -> Int32 in
        let (x, y) = (i % width, i / width)
        return min(peak, max(0, Int32(Double(peak) * (0.5 + 0.4 * sin(Double(x) / 7) * cos(Double(y) / 5))) + next()))
    }
    let b = a.enumerated().map { i, v in min(peak, max(0, i % 7 == 0 ? peak - v : v + next() * 3)) }
    return (Frame(width: width, height: height, format: format, samples: a),
            Frame(width: width, height: height, format: format, samples: b))
}

@Test func identicalFramesAreInfiniteAndOne() throws {
    let (a, _) = framePair(bits: 12)
    let quality = Quality(a, against: a)
    #expect(quality.psnr == .infinity)
    #expect(quality.ssim == 1)
    let region = Region(x: 8, y: 8, width: 24, height: 24)
    #expect(Quality(a, against: a, in: region) == Quality(psnr: .infinity, ssim: 1))
}

@Test(arguments: [8, 12])
func matchesAnIndependentImplementation(bits: Int) throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("reference_metrics.py").path
    let (a, b) = framePair(bits: bits)
    let input = try JSONSerialization.data(withJSONObject: [
        "width": a.width, "height": a.height, "bits": bits, "a": a.samples.map(Int.init), "b": b.samples.map(Int.init),
    ])
    guard let output = try? runPython(script, input: input),
          let reference = try JSONSerialization.jsonObject(with: output) as? [String: Any],
          let psnr = reference["psnr"] as? Double, let ssim = reference["ssim"] as? Double else {
        print("skipping: python3 with numpy and scipy is not available")
        return
    }
    let quality = Quality(b, against: a)
    #expect(abs(quality.psnr - psnr) < 1e-9, "PSNR \(quality.psnr) vs \(reference["implementation"]!) \(psnr)")
    #expect(abs(quality.ssim - ssim) < 1e-9, "SSIM \(quality.ssim) vs \(reference["implementation"]!) \(ssim)")
    #expect(quality.ssim < 0.9 && quality.psnr < 40, "the pair is not trivially similar")
}

/// Runs `python3 script` with `input` on stdin; nil output when python3 or its modules are missing.
func runPython(_ script: String, input: Data) throws -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script]
    let (stdin, stdout) = (Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? output : nil
}

@Test func sweepFindings() {
    func sweep(_ values: [Double?]) -> [SweepPoint] {
        values.enumerated().map { index, psnr in
            SweepPoint(threshold: 5 * (index + 1), fit: psnr.map {
                SweepPoint.Fit(quality: Quality(psnr: $0, ssim: 0.5), range: .paper, passes: 1, textureBlocks: 10)
            }, failure: psnr == nil ? "does not fit" : nil)
        }
    }
    #expect(SweepFinding(sweep([nil, nil])).trend == .noFit)
    #expect(SweepFinding(sweep([11.10, 11.15, 11.12])).trend == .flat)
    #expect(SweepFinding(sweep([12, 12.5, 13.2])).trend == .rising)
    #expect(SweepFinding(sweep([12, 11, 13])).trend == .notMonotone(firstDrop: 10))
    let partial = SweepFinding(sweep([12, 13, nil]))
    #expect(partial.fitting == [5, 10] && partial.description.contains("fits at T = 5, 10 only"))
}

@Test func plotDrawsGapsAndFlatSeries() {
    let plot = SVGPlot(title: "PSNR <test>", xLabel: "T", yLabel: "dB",
                       points: [(5, 11.1), (10, 11.1), (15, nil), (20, 11.1)], minimumSpan: 2).svg
    #expect(plot.hasPrefix("<svg") && plot.hasSuffix("</svg>"))
    #expect(plot.contains("PSNR &lt;test&gt;"))
    #expect(plot.components(separatedBy: "<circle").count - 1 == 3)
    #expect(plot.contains("did not fit"))
    #expect(!plot.contains("nan") && !plot.contains("inf"))
}
