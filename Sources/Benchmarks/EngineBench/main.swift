// engine-bench: per-stage timings of Engine.protect / restore and a compression comparison, with
// the pipeline's real cryptography (AES-256-GCM, HKDF and SHA-256 from OpenSSL).
//
//   swift run -c release engine-bench [raw files...]
//
// RANGE=p,q limits the planner to that expansion range and PASSES=n to at most n passes (to compare
// candidates' distortion and time on one frame).
//
// A raw file is four little-endian Int32 (width, height, bits stored, pixel representation)
// followed by width × height little-endian Int32 samples.
#if canImport(Glibc)
import Glibc
#endif
import VeilCompression
import VeilCore
import VeilPipeline  // ContentKeyCrypto (OpenSSL) and the codecs' LosslessCodec conformances

let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    let c = duration.components
    return Double(c.seconds) * 1000 + Double(c.attoseconds) * 1e-15
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func format(_ value: Double, _ decimals: Int = 2) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return value.isInfinite ? "inf" : "\(rounded)"
}

func readRaw(_ path: String) -> (String, Frame)? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var header = [Int32](repeating: 0, count: 4)
    guard fread(&header, 4, 4, file) == 4 else { return nil }
    let (width, height) = (Int(header[0]), Int(header[1]))
    var samples = [Int32](repeating: 0, count: width * height)
    guard fread(&samples, 4, samples.count, file) == samples.count else { return nil }
    let name = String(path.split(separator: "/").last ?? "")
    return (name, Frame(width: width, height: height, format: SampleFormat(bitsStored: Int(header[2]), isSigned: header[3] != 0), samples: samples))
}

/// A 512×512 CT-like slice in HU, signed, `bits` stored: air, body ellipse, lungs, bone ring, noise.
func syntheticCT(bits: Int, seed: UInt64) -> Frame {
    var state = seed
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    let format = SampleFormat(bitsStored: bits, isSigned: true)
    var samples = [Int32]()
    for y in 0..<512 {
        for x in 0..<512 {
            let (fx, fy) = (Double(x) / 511 - 0.5, Double(y) / 511 - 0.5)
            let body = fx * fx / 0.18 + fy * fy / 0.12
            var hu = -1000.0
            if body < 1 {
                hu = body > 0.85 ? 900 : 40
                let (lx, ly) = (abs(fx) - 0.17, fy + 0.02)
                if lx * lx / 0.012 + ly * ly / 0.03 < 1 { hu = -820 }
            }
            let noise = (uniform() + uniform() + uniform() + uniform() - 2) * 18 * 1.73
            samples.append(Int32(min(max(hu + noise, Double(format.minValue)), Double(format.maxValue))))
        }
    }
    return Frame(width: 512, height: 512, format: format, samples: samples)
}

func benchmark(_ name: String, _ frame: Frame, iterations: Int) throws {
    var configuration = EngineConfiguration()
    if let text = getenv("RANGE").map({ String(cString: $0) }) {
        let bounds = text.split(separator: ",").compactMap { Int($0) }
        guard bounds.count == 2 else { fatalError("RANGE must be p,q (e.g. -16,15), not \(text)") }
        configuration.expansionRanges = [ExpansionRange(p: bounds[0], q: bounds[1])]
    }
    if let passes = getenv("PASSES").flatMap({ Int(String(cString: $0)) }) { configuration.maximumPasses = passes }
    let crypto = ContentKeyCrypto.random()
    let codec = ZstdCodec()
    print("\n== \(name): \(frame.width)×\(frame.height), \(frame.format.bitsStored) bits \(frame.format.isSigned ? "signed" : "unsigned")")
    var keyRegionTimes = [Double](), protectTimes = [Double](), restoreTimes = [Double]()
    var stages = [String: [Double]](), restoreStages = [String: [Double]]()
    var order = [String](), restoreOrder = [String]()
    var last: (ProtectedFrame, Restoration)?
    for _ in 0..<iterations {
        var region = Region(x: 0, y: 0, width: 0, height: 0)
        keyRegionTimes.append(milliseconds(try clock.measure { region = try Engine.keyRegion(for: frame, configuration: configuration) }))
        var protected: ProtectedFrame?
        protectTimes.append(milliseconds(try clock.measure {
            protected = try Engine.protect(frame, keyRegion: region, configuration: configuration, crypto: crypto, codec: codec, associatedData: [1])
        }))
        var restoration: Restoration?
        restoreTimes.append(milliseconds(try clock.measure {
            restoration = try Engine.restore(protected!.frame, parameters: protected!.parameters, crypto: crypto, codecs: [codec], associatedData: [1])
        }))
        guard restoration!.frame == frame else { fatalError("restore differs from the original") }
        for timing in protected!.report.timings {
            if stages[timing.stage] == nil { order.append(timing.stage) }
            stages[timing.stage, default: []].append(timing.seconds * 1000)
        }
        for timing in restoration!.timings {
            if restoreStages[timing.stage] == nil { restoreOrder.append(timing.stage) }
            restoreStages[timing.stage, default: []].append(timing.seconds * 1000)
        }
        last = (protected!, restoration!)
    }
    let (protected, restoration) = last!
    let p = protected.parameters, r = protected.report
    print("key region \(p.keyRegion), T = \(p.threshold), [p, q] = \(p.range), passes = \(p.passes)")
    print("payload \(r.payloadBytes) B (key region \(r.keyRegionSamples) samples → \(r.compressedKeyRegionBytes) B), capacity estimate \(r.capacityBits) bits,",
          "side information \(r.sideInformationBits) bits in \(r.sideInformationBlocks) blocks, \(r.textureBlocks) texture blocks,",
          "\(r.expansionPixels) PEE pixels, candidates estimated \(r.candidatesEstimated), tried \(r.candidatesTried)")
    print("protected vs original: PSNR \(format(Metrics.psnr(protected.frame, frame))) dB, SSIM \(format(Metrics.ssim(protected.frame, frame), 4))")
    print("intermediate vs original: PSNR \(format(Metrics.psnr(restoration.intermediate, frame))) dB, SSIM \(format(Metrics.ssim(restoration.intermediate, frame), 4))")
    print("median ms over \(iterations): key region \(format(median(keyRegionTimes))), protect \(format(median(protectTimes))), restore \(format(median(restoreTimes)))")
    print("  protect stages: " + order.map { "\($0) \(format(median(stages[$0]!)))" }.joined(separator: ", "))
    print("  restore stages: " + restoreOrder.map { "\($0) \(format(median(restoreStages[$0]!)))" }.joined(separator: ", "))
}

/// Sizes and speeds of every codec and level on each packing of the key region.
func compareCompression(_ name: String, _ frame: Frame) throws {
    let region = try Engine.keyRegion(for: frame, configuration: EngineConfiguration())
    let crop = frame.cropped(to: region)
    var interleaved = [UInt8]()
    for v in crop.samples {
        let word = UInt16(truncatingIfNeeded: v)
        interleaved += [UInt8(word & 0xFF), UInt8(word >> 8)]
    }
    let inputs: [(String, [UInt8])] = [("LE words", interleaved)] + SamplePacking.allCases.map { ("\($0)", $0.pack(crop)) }
    let codecs: [(String, any LosslessCodec)] = [
        ("zlib 6", ZlibCodec(level: 6)), ("zlib 9", ZlibCodec(level: 9)),
        ("lzma 0", LZMACodec(preset: 0)), ("lzma 6", LZMACodec(preset: 6)),
        ("zstd 3", ZstdCodec(level: 3)), ("zstd 9", ZstdCodec(level: 9)), ("zstd 12", ZstdCodec(level: 12)),
        ("zstd 15", ZstdCodec(level: 15)), ("zstd 19", ZstdCodec(level: 19)),
    ]
    print("\n-- compression of \(name) key region \(region) (\(crop.samples.count) samples, \(interleaved.count) B raw): bytes / compress ms / decompress ms")
    for (packing, bytes) in inputs {
        var cells = [String]()
        for (codecName, codec) in codecs {
            var packed = [UInt8]()
            let compress = median((0..<5).map { _ in milliseconds(clock.measure { packed = try! codec.compress(bytes) }) })
            let decompress = median((0..<5).map { _ in milliseconds(clock.measure { _ = try! codec.decompress(packed, decompressedSize: bytes.count) }) })
            cells.append("\(codecName): \(packed.count)/\(format(compress))/\(format(decompress))")
        }
        print("  \(packing): " + cells.joined(separator: "  "))
    }
}

var frames: [(String, Frame)] = [("synthetic CT 16-bit", syntheticCT(bits: 16, seed: 1)), ("synthetic CT 12-bit", syntheticCT(bits: 12, seed: 2))]
for path in CommandLine.arguments.dropFirst() {
    guard let frame = readRaw(path) else { fatalError("cannot read \(path)") }
    frames.append(frame)
}
for (name, frame) in frames {
    do {
        try benchmark(name, frame, iterations: frame.samples.count > 1_000_000 ? 5 : 21)
        try compareCompression(name, frame)
    } catch {
        print("\(name): \(error)")
    }
}
