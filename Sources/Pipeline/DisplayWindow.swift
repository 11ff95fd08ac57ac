import VeilCore
import VeilDICOM

/// The stored-value interval a viewer maps from black to white: the header's first
/// window (through the rescale), or else the frame's own range. The QR is drawn in its two ends
/// so that it shows black on white under the image's own rendering, and the QR reader looks at
/// the frame through the same window.
package struct DisplayWindow: Equatable, Sendable {
    /// Stored values at the bottom and top of the window.
    package var low: Int32
    package var high: Int32
    /// MONOCHROME1 shows low values white.
    package var inverted: Bool

    package init(low: Int32, high: Int32, inverted: Bool) {
        self.low = low
        self.high = max(high, low + 1)
        self.inverted = inverted
    }

    /// From the header's window, if it has a usable one.
    package init?(geometry: ImageGeometry, format: SampleFormat) {
        guard let center = geometry.windowCenter, let width = geometry.windowWidth, width >= 1 else { return nil }
        let slope = geometry.rescaleSlope == 0 ? 1 : geometry.rescaleSlope
        let bottom = (center - 0.5 - (width - 1) / 2 - geometry.rescaleIntercept) / slope
        let top = (center - 0.5 + (width - 1) / 2 - geometry.rescaleIntercept) / slope
        let (lowValue, highValue) = slope > 0 ? (bottom, top) : (top, bottom)
        // Clamped while still Double: ImageGeometry bounds the header's numbers, but converting an
        // out-of-range or non-finite Double to an integer traps, so nothing here relies on that.
        guard lowValue.isFinite, highValue.isFinite else { return nil }
        let range = Double(format.minValue)...Double(format.maxValue)
        let low = Int32(lowValue.rounded(.down).clamped(to: range))
        let high = Int32(highValue.rounded(.up).clamped(to: range))
        guard high > low else { return nil }
        self.init(low: low, high: high, inverted: geometry.photometricInterpretation == "MONOCHROME1")
    }

    /// The frame's own range (for frames without a window, or when the header's is not trusted).
    package init(frame: Frame, inverted: Bool) {
        var low = Int32.max, high = Int32.min
        for value in frame.samples {
            low = min(low, value)
            high = max(high, value)
        }
        if low >= high { (low, high) = (frame.format.minValue, frame.format.maxValue) }
        self.init(low: low, high: high, inverted: inverted)
    }

    /// Stored values that render black and white.
    package var dark: Int32 { inverted ? high : low }
    package var light: Int32 { inverted ? low : high }

    /// 8-bit grey levels as a viewer would show `region` of `frame` (the whole frame by default).
    /// Values inside the window go through a table of `grey` when the window is narrower than the
    /// area (a per-pixel floating-point scale and round cost more than the QR reader's whole crop).
    package func render(_ frame: Frame, region: Region? = nil) -> [UInt8] {
        let area = region ?? frame.bounds
        let span = Int(high) - Int(low)
        let table = span < area.width * area.height ? (0...span).map { grey(low + Int32($0)) } : nil
        let (below, above) = (grey(low), grey(high))  // what every value beyond either end shows
        var out = [UInt8](repeating: 0, count: area.width * area.height)
        frame.samples.withUnsafeBufferPointer { samples in
            out.withUnsafeMutableBufferPointer { out in
                guard let table else {
                    for y in 0..<area.height {
                        let row = (area.y + y) * frame.width + area.x
                        for x in 0..<area.width { out[y * area.width + x] = grey(samples[row + x]) }
                    }
                    return
                }
                table.withUnsafeBufferPointer { table in
                    for y in 0..<area.height {
                        let row = (area.y + y) * frame.width + area.x
                        for x in 0..<area.width {
                            let v = samples[row + x]
                            out[y * area.width + x] = v <= low ? below : v >= high ? above : table[Int(v &- low)]
                        }
                    }
                }
            }
        }
        return out
    }

    /// The grey level a viewer shows for one stored value.
    @inline(__always)
    package func grey(_ sample: Int32) -> UInt8 {
        let value = Double(sample - low) * (255.0 / Double(high - low))
        let grey = UInt8(value.clamped(to: 0...255).rounded())
        return inverted ? 255 - grey : grey
    }

    /// The stored values that render as pure black or pure white: at most `lowest` (grey 0 before
    /// inversion) or at least `highest` (grey 255). Derived from `grey` itself, so a test on stored
    /// values agrees exactly with one on the rendering.
    package var saturation: (lowest: Int32, highest: Int32) {
        let raw = DisplayWindow(low: low, high: high, inverted: false)
        // grey is monotonic: the last value giving 0 lies in [low, high], the first giving 255 too.
        var (a, b) = (low, high)  // grey(a) == 0 < grey(b)
        while b - a > 1 {
            let middle = a + (b - a) / 2
            if raw.grey(middle) == 0 { a = middle } else { b = middle }
        }
        var (c, d) = (low, high)  // grey(c) < 255 == grey(d)
        while d - c > 1 {
            let middle = c + (d - c) / 2
            if raw.grey(middle) == 255 { d = middle } else { c = middle }
        }
        return (a, d)
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
