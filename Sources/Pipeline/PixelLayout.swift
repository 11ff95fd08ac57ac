import VeilCore
import VeilDICOM

/// How a frame's stored values sit in its pixel words, and the conversions both ways.
///
/// Signed values are sign-extended into the unused high bits and unsigned values are masked,
/// as DCMTK and most writers do. A frame whose words do not follow that (stray overlay bits,
/// masked negatives) is protected as raw unsigned words of the full BitsAllocated width, which
/// is lossless for any content; the protected header then says BitsStored = BitsAllocated.
struct PixelLayout: Equatable, Sendable {
    var bitsAllocated: Int
    var bitsStored: Int
    var highBit: Int
    var isSigned: Bool

    init(bitsAllocated: Int, bitsStored: Int, highBit: Int, isSigned: Bool) {
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.highBit = highBit
        self.isSigned = isSigned
    }

    init(_ geometry: ImageGeometry) {
        self.init(bitsAllocated: geometry.bitsAllocated, bitsStored: geometry.bitsStored,
                  highBit: geometry.highBit, isSigned: geometry.isSigned)
    }

    /// The same words read as plain unsigned values.
    var raw: PixelLayout {
        PixelLayout(bitsAllocated: bitsAllocated, bitsStored: bitsAllocated, highBit: bitsAllocated - 1, isSigned: false)
    }

    var format: SampleFormat { SampleFormat(bitsStored: bitsStored, isSigned: isSigned) }

    private var shift: Int { highBit + 1 - bitsStored }

    func samples(fromWords words: [UInt16]) -> [Int32] {
        let mask = UInt32((1 << bitsStored) - 1), shift = UInt32(shift), signBit = UInt32(1) << (bitsStored - 1)
        return words.map { word in
            let value = (UInt32(word) >> shift) & mask
            return isSigned && value & signBit != 0 ? Int32(bitPattern: value | ~mask) : Int32(bitPattern: value)
        }
    }

    func words(fromSamples samples: [Int32]) -> [UInt16] {
        let wordMask = UInt32((1 << bitsAllocated) - 1), valueMask = UInt32((1 << bitsStored) - 1), shift = UInt32(shift)
        return samples.map { sample in
            let bits = UInt32(bitPattern: sample)
            let placed = isSigned ? (bits << shift) : ((bits & valueMask) << shift)
            return UInt16(truncatingIfNeeded: placed & wordMask)
        }
    }

    /// The layout to protect `words` with: this one if it round-trips them exactly, else `raw`.
    func losslessLayout(for words: [UInt16]) -> PixelLayout {
        words(fromSamples: samples(fromWords: words)) == words ? self : raw
    }
}
