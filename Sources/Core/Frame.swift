/// The range of stored values a frame may hold, from DICOM BitsStored and PixelRepresentation.
package struct SampleFormat: Sendable, Hashable {
    package var bitsStored: Int
    package var isSigned: Bool
    package var minValue: Int32
    package var maxValue: Int32

    /// `bitsStored` must be 1…16.
    package init(bitsStored: Int, isSigned: Bool) {
        precondition((1...16).contains(bitsStored), "bitsStored must be 1…16")
        self.bitsStored = bitsStored
        self.isSigned = isSigned
        minValue = isSigned ? -(Int32(1) << (bitsStored - 1)) : 0
        maxValue = isSigned ? (Int32(1) << (bitsStored - 1)) - 1 : (Int32(1) << bitsStored) - 1
    }

    /// 2^bitsStored − 1: the peak for PSNR and the dynamic range L for SSIM.
    package var peak: Double { Double((1 << bitsStored) - 1) }

    /// Variance scale for thresholds given in 8-bit units: (2^(bitsStored−8))², 1 up to 8 bits.
    var varianceScale: Double {
        let s = Double(1 << max(bitsStored - 8, 0))
        return s * s
    }
}

/// One frame of stored sample values, row-major.
package struct Frame: Sendable, Equatable {
    package var width: Int
    package var height: Int
    package var format: SampleFormat
    package var samples: [Int32]

    package init(width: Int, height: Int, format: SampleFormat, samples: [Int32]) {
        precondition(width >= 0 && height >= 0 && samples.count == width * height, "samples must hold width × height values")
        self.width = width
        self.height = height
        self.format = format
        self.samples = samples
    }

    package var bounds: Region { Region(x: 0, y: 0, width: width, height: height) }

    /// Whether every sample lies inside the format's range.
    package var isWithinFormat: Bool {
        let (low, high) = (format.minValue, format.maxValue)
        // Smallest and largest without early exit: a reduction the compiler vectorizes.
        let (smallest, largest) = samples.withUnsafeBufferPointer { buffer in
            buffer.reduce((Int32.max, Int32.min)) { (Swift.min($0.0, $1), Swift.max($0.1, $1)) }
        }
        return samples.isEmpty || (smallest >= low && largest <= high)
    }

    /// Overwrites `region` with `block` (row-major, region-sized).
    package mutating func paste(_ block: [Int32], at region: Region) {
        for y in 0..<region.height {
            let row = (region.y + y) * width + region.x
            samples.replaceSubrange(row..<(row + region.width), with: block[(y * region.width)..<((y + 1) * region.width)])
        }
    }

    /// This frame with `block` (a `region`-sized frame) written over `region`.
    package func pasting(_ block: Frame, at region: Region) -> Frame {
        var out = self
        out.paste(block.samples, at: region)
        return out
    }

    /// The samples of `region` (which must lie inside the frame) as a frame of their own.
    package func cropped(to region: Region) -> Frame {
        precondition(bounds.contains(region), "region outside the frame")
        var out = [Int32]()
        out.reserveCapacity(region.width * region.height)
        for y in region.y..<region.maxY {
            out.append(contentsOf: samples[(y * width + region.x)..<(y * width + region.maxX)])
        }
        return Frame(width: region.width, height: region.height, format: format, samples: out)
    }
}

/// An axis-aligned rectangle of pixels.
package struct Region: Sendable, Hashable, Codable, CustomStringConvertible {
    package var x: Int
    package var y: Int
    package var width: Int
    package var height: Int

    package init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    package var maxX: Int { x + width }
    package var maxY: Int { y + height }
    package var isEmpty: Bool { width <= 0 || height <= 0 }

    package func contains(_ other: Region) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    package func intersects(_ other: Region) -> Bool {
        !isEmpty && !other.isEmpty && other.x < maxX && x < other.maxX && other.y < maxY && y < other.maxY
    }

    /// The region grown by `margin` pixels on every side.
    package func dilated(by margin: Int) -> Region {
        Region(x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin)
    }

    package var description: String { "\(width)×\(height)+\(x)+\(y)" }
}
