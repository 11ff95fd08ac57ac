import VeilQR

/// Reads QR codes the way protect's read-back and restore's search need them, at a fraction of
/// zbar's cost on large codes: zbar's time grows with the pixels it scans, and a large key region
/// draws its code at many pixels per module (a 576² region on a 3.6 MP CR: 7 px). The image is
/// first read reduced so that the narrowest module keeps at least 2 px, then, if that finds no
/// code, as it is.
enum QRScan {
    static func decode(gray8 pixels: [UInt8], width: Int, height: Int) throws -> [DecodedQR] {
        let factor = reductionFactor(pixels, width: width, height: height)
        if factor > 1 {
            let (small, smallWidth, smallHeight) = reduced(pixels, width: width, height: height, by: factor)
            let found = (try? QRReader.decode(gray8: small, width: smallWidth, height: smallHeight)) ?? []
            if !found.isEmpty {
                return found.map { code in
                    DecodedQR(payload: code.payload, bounds: (code.bounds.x * factor, code.bounds.y * factor,
                                                              code.bounds.width * factor, code.bounds.height * factor))
                }
            }
        }
        return try QRReader.decode(gray8: pixels, width: width, height: height)
    }

    /// Half the narrowest run of black (0) or white (255) pixels with the opposite extreme on both
    /// sides, on every third row: a code's single modules. Texture that renders such short runs
    /// only makes the factor smaller (1: no reduction).
    static func reductionFactor(_ pixels: [UInt8], width: Int, height: Int) -> Int {
        guard width > 0, pixels.count == width * height else { return 1 }
        var narrowest = Int.max
        pixels.withUnsafeBufferPointer { px in
            for y in Swift.stride(from: 0, to: height, by: 3) {
                let row = y * width
                var runStart = -1  // start of the current extreme run that began at a direct transition
                for x in 1..<width {
                    let (previous, current) = (px[row + x - 1], px[row + x])
                    guard previous != current else { continue }
                    if (previous == 0 && current == 255) || (previous == 255 && current == 0) {
                        if runStart >= 0 { narrowest = min(narrowest, x - runStart) }
                        runStart = x
                    } else {
                        runStart = -1
                    }
                }
            }
        }
        return narrowest == .max ? 1 : max(narrowest / 2, 1)
    }

    /// The image shrunk `factor` times in each direction by averaging `factor`×`factor` squares
    /// (columns and rows beyond the last whole square are dropped).
    static func reduced(_ pixels: [UInt8], width: Int, height: Int, by factor: Int) -> ([UInt8], width: Int, height: Int) {
        let (smallWidth, smallHeight) = (width / factor, height / factor)
        let area = UInt32(factor * factor)
        let out = [UInt8](unsafeUninitializedCapacity: smallWidth * smallHeight) { out, initialized in
            pixels.withUnsafeBufferPointer { px in
                var sums = [UInt32](repeating: 0, count: smallWidth)
                for sy in 0..<smallHeight {
                    for index in sums.indices { sums[index] = 0 }
                    for y in (sy * factor)..<(sy * factor + factor) {
                        let row = y * width
                        for sx in 0..<smallWidth {
                            var sum: UInt32 = 0
                            for x in (sx * factor)..<(sx * factor + factor) { sum &+= UInt32(px[row + x]) }
                            sums[sx] &+= sum
                        }
                    }
                    for sx in 0..<smallWidth { out[sy * smallWidth + sx] = UInt8((sums[sx] + area / 2) / area) }
                }
            }
            initialized = smallWidth * smallHeight
        }
        return (out, smallWidth, smallHeight)
    }
}
