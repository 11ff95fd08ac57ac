/// Everything the decoder needs besides the marked frame and the content key. It travels
/// RSA-encrypted in the QR, so it is kept compact: 18 bytes in format version 1.
package struct EmbeddingParameters: Sendable, Equatable {
    package static let formatVersion: UInt8 = 1
    package static let encodedSize = 18

    package var keyRegion: Region
    /// Side of the texture and scrambling blocks; 8 in format version 1.
    package var blockSize: Int
    /// Texture threshold in 8-bit units (informational: the texture map itself travels in the frame).
    package var threshold: Int
    package var range: ExpansionRange
    package var passes: Int
    package var scramble: ScrambleKind
    package var codecIdentifier: UInt8

    package init(keyRegion: Region, blockSize: Int = 8, threshold: Int, range: ExpansionRange, passes: Int,
                scramble: ScrambleKind, codecIdentifier: UInt8) {
        self.keyRegion = keyRegion
        self.blockSize = blockSize
        self.threshold = threshold
        self.range = range
        self.passes = passes
        self.scramble = scramble
        self.codecIdentifier = codecIdentifier
    }

    /// Layout: version, x, y, width, height (u16 each), block size, threshold, p, q (i16 each),
    /// passes, scramble kind, codec id, all big-endian.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.formatVersion]
        out.reserveCapacity(Self.encodedSize)
        for value in [keyRegion.x, keyRegion.y, keyRegion.width, keyRegion.height] {
            out.appendBigEndian(UInt16(truncatingIfNeeded: value))
        }
        out.append(UInt8(truncatingIfNeeded: blockSize))
        out.append(UInt8(truncatingIfNeeded: threshold))
        out.appendBigEndian(UInt16(bitPattern: Int16(truncatingIfNeeded: range.p)))
        out.appendBigEndian(UInt16(bitPattern: Int16(truncatingIfNeeded: range.q)))
        out.append(UInt8(truncatingIfNeeded: passes))
        out.append(scramble.rawValue)
        out.append(codecIdentifier)
        return out
    }

    package init(decoding bytes: [UInt8]) throws(EngineError) {
        guard bytes.count == Self.encodedSize else {
            throw .invalidParameters("expected \(Self.encodedSize) bytes, got \(bytes.count)")
        }
        guard bytes[0] == Self.formatVersion else { throw .invalidParameters("unsupported version \(bytes[0])") }
        func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func i16(_ at: Int) -> Int { Int(Int16(bitPattern: UInt16(u16(at)))) }
        guard let scramble = ScrambleKind(rawValue: bytes[16]) else {
            throw .invalidParameters("unknown scramble kind \(bytes[16])")
        }
        self.init(keyRegion: Region(x: u16(1), y: u16(3), width: u16(5), height: u16(7)),
                  blockSize: Int(bytes[9]), threshold: Int(bytes[10]),
                  range: ExpansionRange(p: i16(11), q: i16(13)), passes: Int(bytes[15]),
                  scramble: scramble, codecIdentifier: bytes[17])
        try validate()
    }

    /// Checks the values any encoder of this version could have produced.
    func validate() throws(EngineError) {
        guard blockSize == 8 else { throw .invalidParameters("block size \(blockSize) is not 8") }
        guard !keyRegion.isEmpty else { throw .invalidParameters("empty key region") }
        guard range.p <= 0, range.q >= 0 else { throw .invalidParameters("range \(range) does not contain 0") }
        guard (1...16).contains(passes) else { throw .invalidParameters("\(passes) passes") }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
