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
}

extension Frame {
    /// The engine's view of a decoded grayscale frame.
    init(_ pixels: PixelFrame) {
        self.init(width: pixels.geometry.columns, height: pixels.geometry.rows,
                  format: pixels.geometry.sampleFormat, samples: pixels.samples)
    }
}

extension PixelFrame {
    /// The same words, seen through `geometry` (e.g. `rawWords`).
    func reinterpreted(as geometry: ImageGeometry) -> PixelFrame {
        PixelFrame(geometry: geometry, bytes: bytes)
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
}
