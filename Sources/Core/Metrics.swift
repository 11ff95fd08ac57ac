#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Image quality measures for `evaluate` and the tests, on frames of any depth.
package enum Metrics {
    /// Peak signal-to-noise ratio in dB with peak 2^bitsStored − 1; `.infinity` when identical.
    package static func psnr(_ a: Frame, _ b: Frame) -> Double {
        precondition(a.width == b.width && a.height == b.height, "frames differ in size")
        var squaredError = 0.0
        a.samples.withUnsafeBufferPointer { a in
            b.samples.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    let d = Double(a[i] - b[i])
                    squaredError += d * d
                }
            }
        }
        guard squaredError > 0 else { return .infinity }
        let mse = squaredError / Double(a.samples.count)
        return 10 * log10(a.format.peak * a.format.peak / mse)
    }

    /// PSNR over `region` of both frames.
    package static func psnr(_ a: Frame, _ b: Frame, in region: Region) -> Double {
        psnr(a.cropped(to: region), b.cropped(to: region))
    }

    /// Mean SSIM of Wang et al. (2004): 11×11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03,
    /// L = 2^bitsStored − 1, averaged over the windows that fit inside the frame (MATLAB's 'valid'
    /// filtering, as in the reference implementation). Frames smaller than the window use one window
    /// over the whole frame with uniform weights.
    package static func ssim(_ a: Frame, _ b: Frame) -> Double {
        precondition(a.width == b.width && a.height == b.height, "frames differ in size")
        let range = a.format.peak
        let c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range)
        let x = a.samples.map(Double.init), y = b.samples.map(Double.init)
        let (width, height) = (a.width, a.height)
        let size = 11
        guard width >= size, height >= size else {
            let n = Double(x.count)
            let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
            var vx = 0.0, vy = 0.0, cxy = 0.0
            for i in 0..<x.count {
                vx += (x[i] - mx) * (x[i] - mx)
                vy += (y[i] - my) * (y[i] - my)
                cxy += (x[i] - mx) * (y[i] - my)
            }
            (vx, vy, cxy) = (vx / n, vy / n, cxy / n)
            return ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        }
        let weights = gaussian(size: size, sigma: 1.5)
        let mx = filter(x, width: width, height: height, weights: weights)
        let my = filter(y, width: width, height: height, weights: weights)
        let xx = filter(zip(x, x).map(*), width: width, height: height, weights: weights)
        let yy = filter(zip(y, y).map(*), width: width, height: height, weights: weights)
        let xy = filter(zip(x, y).map(*), width: width, height: height, weights: weights)
        var total = 0.0
        for i in 0..<mx.count {
            let (mux, muy) = (mx[i], my[i])
            let sx = xx[i] - mux * mux, sy = yy[i] - muy * muy, sxy = xy[i] - mux * muy
            total += ((2 * mux * muy + c1) * (2 * sxy + c2)) / ((mux * mux + muy * muy + c1) * (sx + sy + c2))
        }
        return total / Double(mx.count)
    }

    /// SSIM over `region` of both frames.
    package static func ssim(_ a: Frame, _ b: Frame, in region: Region) -> Double {
        ssim(a.cropped(to: region), b.cropped(to: region))
    }

    private static func gaussian(size: Int, sigma: Double) -> [Double] {
        let center = Double(size - 1) / 2
        let raw = (0..<size).map { i -> Double in
            let offset = Double(i) - center
            return exp(-offset * offset / (2 * sigma * sigma))
        }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }

    /// Separable 'valid' filtering: the output is (width − n + 1) × (height − n + 1).
    private static func filter(_ values: [Double], width: Int, height: Int, weights: [Double]) -> [Double] {
        let n = weights.count
        let outWidth = width - n + 1, outHeight = height - n + 1
        var horizontal = [Double](repeating: 0, count: outWidth * height)
        for y in 0..<height {
            for x in 0..<outWidth {
                var sum = 0.0
                for k in 0..<n { sum += weights[k] * values[y * width + x + k] }
                horizontal[y * outWidth + x] = sum
            }
        }
        var out = [Double](repeating: 0, count: outWidth * outHeight)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                var sum = 0.0
                for k in 0..<n { sum += weights[k] * horizontal[(y + k) * outWidth + x] }
                out[y * outWidth + x] = sum
            }
        }
        return out
    }
}
