/// MSB-first bit writer for the side information.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func write(_ bit: Bool) {
        if count & 7 == 0 { bytes.append(0) }
        if bit { bytes[count >> 3] |= 0x80 >> UInt8(count & 7) }
        count += 1
    }

    mutating func write(_ value: UInt64, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) { write((value >> UInt64(shift)) & 1 == 1) }
    }

    /// Elias gamma code of `value` ≥ 1: ⌊log₂ value⌋ zeros, then value in binary.
    mutating func writeGamma(_ value: Int) {
        precondition(value >= 1)
        let length = Int.bitWidth - value.leadingZeroBitCount
        for _ in 1..<length { write(false) }
        write(UInt64(value), bits: length)
    }

    /// Run-length code of `bits` (each 0 or 1): the first bit, then each run's length in gamma code.
    /// The reader must know the count. Long runs of equal bits (texture maps, location maps) cost
    /// a few bits each; the worst case (alternating) costs one bit per bit.
    mutating func writeRuns(_ bits: [UInt8]) {
        guard let first = bits.first else { return }
        write(first == 1)
        var run = 0
        var current = first
        for bit in bits {
            if bit == current {
                run += 1
            } else {
                writeGamma(run)
                current = bit
                run = 1
            }
        }
        writeGamma(run)
    }
}

/// MSB-first bit reader; every read past the end or malformed code is a corrupt side information error.
struct BitReader {
    private let bytes: [UInt8]
    private let limit: Int
    private(set) var position = 0

    init(_ bytes: [UInt8], bitCount: Int? = nil) {
        self.bytes = bytes
        limit = bitCount ?? bytes.count * 8
    }

    var remaining: Int { limit - position }

    mutating func read() throws(EngineError) -> Bool {
        guard position < limit else { throw .corruptSideInformation("truncated") }
        defer { position += 1 }
        return bytes[position >> 3] & (0x80 >> UInt8(position & 7)) != 0
    }

    mutating func read(bits: Int) throws(EngineError) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<bits { value = value << 1 | (try read() ? 1 : 0) }
        return value
    }

    mutating func readGamma() throws(EngineError) -> Int {
        var zeros = 0
        while try !read() {
            zeros += 1
            guard zeros < 40 else { throw .corruptSideInformation("malformed number") }
        }
        return Int(1 << UInt64(zeros) | (try read(bits: zeros)))
    }

    mutating func readRuns(count: Int) throws(EngineError) -> [UInt8] {
        var bits = [UInt8]()
        guard count > 0 else { return bits }
        bits.reserveCapacity(count)
        var current: UInt8 = try read() ? 1 : 0
        while bits.count < count {
            let run = try readGamma()
            guard bits.count + run <= count else { throw .corruptSideInformation("run overflows its map") }
            bits.append(contentsOf: repeatElement(current, count: run))
            current ^= 1
        }
        return bits
    }
}

extension [UInt8] {
    /// Bit `index` of the byte string, MSB first.
    @inline(__always)
    func bit(at index: Int) -> Int32 {
        Int32(self[index >> 3] >> UInt8(7 - index & 7)) & 1
    }
}
