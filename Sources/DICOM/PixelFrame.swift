/// One decoded frame, in two forms: the native words (what a file stores) and the stored sample values
/// (what the image means), so that both pixel maths and byte-exact restoration are possible.
public struct PixelFrame: Sendable, Equatable {
    /// The geometry of the decoded frame (its photometric interpretation is the decoder's output, e.g. RGB
    /// for a YBR JPEG decoded to RGB).
    public var geometry: ImageGeometry
    /// Stored values, one per sample in frame order, taken from bits HighBit−BitsStored+1…HighBit of each
    /// word and sign-extended when PixelRepresentation is 1.
    public var samples: [Int32]
    /// The frame as native words of BitsAllocated (1 or 2 bytes per sample), little endian.
    public var bytes: [UInt8]

    /// From native words, as decoded.
    public init(geometry: ImageGeometry, bytes: [UInt8]) {
        self.geometry = geometry
        self.bytes = bytes
        samples = Self.unpack(bytes, geometry)
    }

    /// From stored values, e.g. after processing. Bits outside BitsStored are written as zero.
    /// - Precondition: every sample lies in `geometry.sampleRange`.
    public init(geometry: ImageGeometry, samples: [Int32]) {
        precondition(samples.allSatisfy(geometry.sampleRange.contains), "sample outside the BitsStored range")
        self.geometry = geometry
        self.samples = samples
        bytes = Self.pack(samples, geometry)
    }

    /// True when the words hold nothing but the stored values: no overlay or stray bits outside
    /// BitsStored, so re-encoding `samples` gives back `bytes` exactly. Signed values count as
    /// canonical when sign-extended into the unused high bits, as scanners and DCMTK write them.
    public var isCanonical: Bool { Self.pack(samples, geometry) == bytes }

    private static func unpack(_ bytes: [UInt8], _ geometry: ImageGeometry) -> [Int32] {
        let shift = geometry.highBit + 1 - geometry.bitsStored
        let mask = UInt32(1) << geometry.bitsStored - 1
        let signBit = UInt32(1) << (geometry.bitsStored - 1)
        let wordSize = geometry.bitsAllocated / 8
        return (0..<bytes.count / wordSize).map { index in
            let word = wordSize == 1
                ? UInt32(bytes[index])
                : UInt32(bytes[2 * index]) | UInt32(bytes[2 * index + 1]) << 8
            let value = (word >> shift) & mask
            return geometry.isSigned && value & signBit != 0 ? Int32(value) - Int32(mask) - 1 : Int32(value)
        }
    }

    private static func pack(_ samples: [Int32], _ geometry: ImageGeometry) -> [UInt8] {
        let shift = UInt32(geometry.highBit + 1 - geometry.bitsStored)
        let mask = UInt32(1) << geometry.bitsStored - 1
        let signed = geometry.isSigned
        func word(_ sample: Int32) -> UInt32 {
            signed ? UInt32(bitPattern: sample) << shift : (UInt32(bitPattern: sample) & mask) << shift
        }
        if geometry.bitsAllocated == 8 {
            return samples.map { UInt8(truncatingIfNeeded: word($0)) }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let word = word(sample)
            bytes.append(UInt8(truncatingIfNeeded: word))
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
        }
        return bytes
    }
}
