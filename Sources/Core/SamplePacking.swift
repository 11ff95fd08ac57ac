/// How key-region samples become bytes before compression. Medical samples are 9–16 bits in
/// 16-bit words; generic compressors do much better on prediction residuals split into byte planes
/// (all low bytes, then all high bytes) than on interleaved little-endian words: see the comparison
/// in `ZstdCodec`'s documentation comment in VeilCompression and in the engine benchmark.
package enum SamplePacking: UInt8, Sendable, Hashable, CaseIterable {
    /// Values minus the format minimum, byte planes.
    case planar = 1
    /// Residuals against the left neighbour (the pixel above in the first column), byte planes.
    case leftPlanar = 2
    /// Residuals against the median edge detector of LOCO-I/JPEG-LS, byte planes.
    case medPlanar = 3

    /// Packs `region`'s samples. Residuals are taken modulo 2^bitsStored and mapped to
    /// non-negative numbers by zigzag, so each fits in bitsStored bits.
    package func pack(_ region: Frame) -> [UInt8] {
        let (width, count) = (region.width, region.samples.count)
        let bits = region.format.bitsStored
        let (wrap, offset) = (1 << bits, Int(region.format.minValue))
        let (mask, half) = (wrap - 1, wrap >> 1)
        let planes = bits > 8 ? 2 : 1
        var out = [UInt8](repeating: 0, count: count * planes)
        // Wrapping arithmetic and truncating conversions: every value is in range by construction,
        // and the checks (a shift by a variable, a narrowing conversion) cost more than the work.
        region.samples.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { out in
                for y in 0..<region.height {
                    for x in 0..<width {
                        let i = y &* width &+ x
                        let value = Int(px[i]) &- offset
                        let residual = (value &- predict(px, i, x: x, width: width, offset: offset)) & mask
                        let centered = residual &- (residual >= half ? wrap : 0)
                        let zigzag = (centered &<< 1) ^ (centered &>> 63)  // 2c for c ≥ 0, −2c − 1 below
                        out[i] = UInt8(truncatingIfNeeded: zigzag)
                        if planes == 2 { out[count &+ i] = UInt8(truncatingIfNeeded: zigzag &>> 8) }
                    }
                }
            }
        }
        return out
    }

    /// The inverse of `pack` into a frame of `width`×`height` samples of `format`.
    package func unpack(_ bytes: [UInt8], width: Int, height: Int, format: SampleFormat) throws(EngineError) -> Frame {
        let count = width * height
        let bits = format.bitsStored
        let planes = bits > 8 ? 2 : 1
        guard bytes.count == count * planes else { throw .corruptPayload("key region has the wrong length") }
        let (mask, offset) = ((1 << bits) - 1, Int(format.minValue))
        var samples = [Int32](repeating: 0, count: count)
        samples.withUnsafeMutableBufferPointer { px in
            bytes.withUnsafeBufferPointer { bytes in
                for y in 0..<height {
                    for x in 0..<width {
                        let i = y &* width &+ x
                        let zigzag = Int(bytes[i]) | (planes == 2 ? Int(bytes[count &+ i]) &<< 8 : 0)
                        let centered = (zigzag &>> 1) ^ (0 &- (zigzag & 1))
                        let value = (predict(UnsafeBufferPointer(px), i, x: x, width: width, offset: offset) &+ centered) & mask
                        px[i] = Int32(truncatingIfNeeded: value &+ offset)
                    }
                }
            }
        }
        let frame = Frame(width: width, height: height, format: format, samples: samples)
        guard frame.isWithinFormat else { throw .corruptPayload("key region samples out of range") }
        return frame
    }

    /// The prediction of sample `i` (column `x`, minus `offset`) from already-coded neighbours.
    @inline(__always)
    private func predict(_ px: UnsafeBufferPointer<Int32>, _ i: Int, x: Int, width: Int, offset: Int) -> Int {
        let hasAbove = i >= width
        switch self {
        case .planar:
            return 0
        case .leftPlanar:
            if x > 0 { return Int(px[i - 1]) - offset }
            return hasAbove ? Int(px[i - width]) - offset : 0
        case .medPlanar:
            guard x > 0, hasAbove else {
                if x > 0 { return Int(px[i - 1]) - offset }
                return hasAbove ? Int(px[i - width]) - offset : 0
            }
            let a = Int(px[i &- 1]) &- offset, b = Int(px[i &- width]) &- offset, c = Int(px[i &- width &- 1]) &- offset
            // Selects, not branches: which case holds is close to random on noisy data.
            let (low, high) = (min(a, b), max(a, b))
            let edge = c >= high ? low : high
            return c >= high || c <= low ? edge : a &+ b &- c
        }
    }
}
