import VeilCore
import VeilDICOM

extension ImageGeometry {
    /// The same words read as plain unsigned values of the full BitsAllocated width. A frame whose
    /// words do not round-trip through its stored values (stray overlay bits above HighBit,
    /// negatives not sign-extended) is protected in this layout, which is lossless for any words;
    /// the protected header then says so (BitsStored = BitsAllocated, unsigned).
    var rawWords: ImageGeometry {
        var raw = self
        raw.bitsStored = bitsAllocated
        raw.highBit = bitsAllocated - 1
        raw.pixelRepresentation = 0
        return raw
    }

    var sampleFormat: SampleFormat { SampleFormat(bitsStored: bitsStored, isSigned: isSigned) }

    /// The engine's checksum of a frame hashes its samples as 16-bit little-endian words: for one
    /// frame of one plane in 16-bit words with the stored bits at the bottom, exactly the pixel data.
    /// Protect and restore then take `pixel_sha256` from it instead of hashing the bytes again.
    var pixelDataIsChecksumWords: Bool { frames == 1 && planes == 1 && bitsAllocated == 16 && highBit == bitsStored - 1 }
}

extension Frame {
    /// The engine's view of a decoded grayscale frame.
    init(_ pixels: PixelFrame) {
        self.init(width: pixels.geometry.columns, height: pixels.geometry.rows,
                  format: pixels.geometry.sampleFormat, samples: pixels.samples)
    }
}

extension PixelFrame {
    /// Plane `index` as the engine's frame (the whole frame for grayscale and palette).
    func planeFrame(_ index: Int) -> Frame {
        Frame(width: geometry.columns, height: geometry.rows, format: geometry.sampleFormat, samples: plane(index))
    }

    /// What brightness is judged on — the key region's variation, the QR's rendering: the stored
    /// values of a single plane; for RGB ⌊(R + 2G + B + 2)/4⌋; for YBR its Y plane.
    var luminance: Frame {
        guard geometry.planes == 3, geometry.colourModel != .ybr else { return planeFrame(0) }
        let count = geometry.rows * geometry.columns
        // Where each colour's first sample is and how far apart a colour's samples are.
        let (offsets, step) = geometry.isPlanar ? ((0, count, 2 * count), 1) : ((0, 1, 2), 3)
        let samples = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            self.samples.withUnsafeBufferPointer { px in
                for pixel in 0..<count {
                    let i = pixel * step
                    out[pixel] = Self.luminance(px[i + offsets.0], px[i + offsets.1], px[i + offsets.2])
                }
            }
            initialized = count
        }
        return Frame(width: geometry.columns, height: geometry.rows, format: geometry.sampleFormat, samples: samples)
    }

    @inline(__always)
    private static func luminance(_ red: Int32, _ green: Int32, _ blue: Int32) -> Int32 { (red &+ 2 &* green &+ blue &+ 2) >> 2 }

    /// `luminance` of the frame these planes (`plane(0)`, …) make, without interleaving them first.
    static func luminance(ofPlanes planes: [Frame], geometry: ImageGeometry) -> Frame {
        guard planes.count == 3, geometry.colourModel != .ybr else { return planes[0] }
        let count = planes[0].samples.count
        let samples = [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            planes[0].samples.withUnsafeBufferPointer { red in
                planes[1].samples.withUnsafeBufferPointer { green in
                    planes[2].samples.withUnsafeBufferPointer { blue in
                        for pixel in 0..<count { out[pixel] = luminance(red[pixel], green[pixel], blue[pixel]) }
                    }
                }
            }
            initialized = count
        }
        return Frame(width: planes[0].width, height: planes[0].height, format: planes[0].format, samples: samples)
    }

    /// The same words, seen through `geometry` (e.g. `rawWords`).
    func reinterpreted(as geometry: ImageGeometry) -> PixelFrame {
        geometry == self.geometry ? self : PixelFrame(geometry: geometry, bytes: bytes)
    }
}

extension [UInt8] {
    /// Swaps each pair of bytes: little- to big-endian 16-bit words and back.
    func byteSwapped16() -> [UInt8] {
        var out = self
        var i = 0
        while i + 1 < out.count { out.swapAt(i, i + 1); i += 2 }
        return out
    }

    /// Reverses each group of four bytes: 32-bit words between byte orders.
    func byteSwapped32() -> [UInt8] {
        var out = self
        var i = 0
        while i + 3 < out.count { out.swapAt(i, i + 3); out.swapAt(i + 1, i + 2); i += 4 }
        return out
    }
}
