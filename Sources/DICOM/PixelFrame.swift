/// One decoded frame, in two forms: the native words (what a file stores) and the stored sample values
/// (what the image means), so that both pixel maths and byte-exact restoration are possible.
package struct PixelFrame: Sendable, Equatable {
    /// The geometry of the decoded frame (its photometric interpretation is the decoder's output, e.g. RGB
    /// for a YBR JPEG decoded to RGB).
    package var geometry: ImageGeometry
    /// Stored values, one per sample in frame order, taken from bits HighBit−BitsStored+1…HighBit of each
    /// word and sign-extended when PixelRepresentation is 1.
    package var samples: [Int32]
    /// The frame as native words of BitsAllocated (1 or 2 bytes per sample), little endian.
    package var bytes: [UInt8]

    /// From native words, as decoded.
    package init(geometry: ImageGeometry, bytes: [UInt8]) {
        self.geometry = geometry
        self.bytes = bytes
        samples = Self.unpack(bytes, geometry)
    }

    /// From stored values, e.g. after processing. Bits outside BitsStored are written as zero.
    /// - Precondition: every sample lies in `geometry.sampleRange`.
    package init(geometry: ImageGeometry, samples: [Int32]) {
        let range = geometry.sampleRange
        // Smallest and largest without early exit: a reduction the compiler vectorizes.
        let (smallest, largest) = samples.withUnsafeBufferPointer { buffer in
            buffer.reduce((Int32.max, Int32.min)) { (min($0.0, $1), max($0.1, $1)) }
        }
        precondition(samples.isEmpty || (range.contains(smallest) && range.contains(largest)), "sample outside the BitsStored range")
        self.geometry = geometry
        self.samples = samples
        bytes = Self.pack(samples, geometry)
    }

    /// True when the words hold nothing but the stored values: no overlay or stray bits outside
    /// BitsStored, so re-encoding `samples` gives back `bytes` exactly. Signed values count as
    /// canonical when sign-extended into the unused high bits, as scanners and DCMTK write them.
    package var isCanonical: Bool {
        let packing = WordPacking(geometry)
        guard geometry.bitsAllocated == 16, packing.isInRange, bytes.count == samples.count * 2 else {
            return Self.pack(samples, geometry) == bytes
        }
        // `pack`'s words compared one by one, without building them.
        return samples.withUnsafeBufferPointer { samples in
            bytes.withUnsafeBytes { words in
                var differences: UInt32 = 0
                for (index, sample) in samples.enumerated() {
                    let stored = UInt32(words.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self).littleEndian)
                    differences |= (packing.word(sample) & 0xFFFF) ^ stored
                }
                return differences == 0
            }
        }
    }

    /// The stored values of plane `index` (0 for grayscale and palette; 0…2 for colour), pixel by
    /// pixel, whatever the planar configuration.
    package func plane(_ index: Int) -> [Int32] {
        let planes = geometry.planes, count = geometry.rows * geometry.columns
        if planes == 1 { return samples }
        if geometry.isPlanar { return Array(samples[(index * count)..<((index + 1) * count)]) }
        return [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            samples.withUnsafeBufferPointer { samples in
                for pixel in 0..<count { out[pixel] = samples[pixel * planes + index] }
            }
            initialized = count
        }
    }

    /// A frame of `geometry` from its planes' stored values (the inverse of `plane`).
    package init(geometry: ImageGeometry, planes: [[Int32]]) {
        precondition(planes.count == geometry.planes, "one array per plane")
        if planes.count == 1 {
            self.init(geometry: geometry, samples: planes[0])
            return
        }
        let count = geometry.rows * geometry.columns
        precondition(planes.allSatisfy { $0.count == count }, "planes of the frame's size")
        let samples = [Int32](unsafeUninitializedCapacity: count * planes.count) { out, initialized in
            for (index, plane) in planes.enumerated() {
                plane.withUnsafeBufferPointer { plane in
                    if geometry.isPlanar {
                        for pixel in 0..<count { out[index * count + pixel] = plane[pixel] }
                    } else {
                        for pixel in 0..<count { out[pixel * planes.count + index] = plane[pixel] }
                    }
                }
            }
            initialized = count * planes.count
        }
        self.init(geometry: geometry, samples: samples)
    }

    private static func unpack(_ bytes: [UInt8], _ geometry: ImageGeometry) -> [Int32] {
        let shift = geometry.highBit + 1 - geometry.bitsStored
        let mask = UInt32(1) << geometry.bitsStored - 1
        let signBit = UInt32(1) << (geometry.bitsStored - 1)
        let wordSize = geometry.bitsAllocated / 8
        if wordSize == 1 || wordSize == 2, (1...16).contains(geometry.bitsStored), (0..<16).contains(shift) {
            // The same arithmetic as below over raw buffers, with the shift known to be in range.
            let count = bytes.count / wordSize, signed = geometry.isSigned, shift = UInt32(shift)
            return [Int32](unsafeUninitializedCapacity: count) { out, initialized in
                bytes.withUnsafeBufferPointer { bytes in
                    func sample(_ word: UInt32) -> Int32 {
                        let value = (word &>> shift) & mask
                        return signed && value & signBit != 0 ? Int32(bitPattern: value) &- Int32(bitPattern: mask) &- 1 : Int32(bitPattern: value)
                    }
                    if wordSize == 1 {
                        for index in 0..<count { out[index] = sample(UInt32(bytes[index])) }
                    } else {
                        for index in 0..<count { out[index] = sample(UInt32(bytes[2 * index]) | UInt32(bytes[2 * index + 1]) &<< 8) }
                    }
                }
                initialized = count
            }
        }
        return (0..<bytes.count / wordSize).map { index in
            let word = wordSize == 1
                ? UInt32(bytes[index])
                : UInt32(bytes[2 * index]) | UInt32(bytes[2 * index + 1]) << 8
            let value = (word >> shift) & mask
            return geometry.isSigned && value & signBit != 0 ? Int32(value) - Int32(mask) - 1 : Int32(value)
        }
    }

    private static func pack(_ samples: [Int32], _ geometry: ImageGeometry) -> [UInt8] {
        let packing = WordPacking(geometry)
        if geometry.bitsAllocated == 8 {
            return [UInt8](unsafeUninitializedCapacity: samples.count) { bytes, initialized in
                samples.withUnsafeBufferPointer { samples in
                    for (index, sample) in samples.enumerated() { bytes[index] = UInt8(truncatingIfNeeded: packing.word(sample)) }
                }
                initialized = samples.count
            }
        }
        return [UInt8](unsafeUninitializedCapacity: samples.count * 2) { bytes, initialized in
            samples.withUnsafeBufferPointer { samples in
                for (index, sample) in samples.enumerated() {
                    let word = packing.word(sample)
                    bytes[2 * index] = UInt8(truncatingIfNeeded: word)
                    bytes[2 * index + 1] = UInt8(truncatingIfNeeded: word >> 8)
                }
            }
            initialized = samples.count * 2
        }
    }
}

/// How a stored value sits in its word: moved up to HighBit, sign-extended (signed) or with the
/// bits above BitsStored cleared (unsigned).
private struct WordPacking {
    let shift: UInt32
    let mask: UInt32
    let signed: Bool
    /// BitsStored 1…16 and a shift below 16: the shift can skip Swift's out-of-range handling.
    let isInRange: Bool

    init(_ geometry: ImageGeometry) {
        shift = UInt32(geometry.highBit + 1 - geometry.bitsStored)
        mask = UInt32(1) << geometry.bitsStored - 1
        signed = geometry.isSigned
        isInRange = (1...16).contains(geometry.bitsStored) && shift < 16
    }

    @inline(__always)
    func word(_ sample: Int32) -> UInt32 {
        let bits = signed ? UInt32(bitPattern: sample) : UInt32(bitPattern: sample) & mask
        return isInRange ? bits &<< shift : bits << shift
    }
}
