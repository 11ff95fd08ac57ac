/// What the decoder must know before it can undo the expansion, carried in clear by LSB
/// replacement in the first usable blocks (the area S). It holds no image content: the texture
/// map, and per pass and layer the scan length and location map. The original LSBs of S travel
/// in the sealed payload.
///
/// Bit layout (MSB first): magic "VS" (16), version (8), blocks of S (16), length in bits (24) —
/// the header fills the first block exactly — then payload length in bytes (32), texture map (runs), then per segment gamma(scanned + 1),
/// gamma(location map length + 1) and the location map (runs).
struct SideInformation: Equatable {
    static let magic: UInt64 = 0x5653
    static let version: UInt64 = 1
    static let bitsPerBlock = BlockLayout.side * BlockLayout.side
    private static let headerBits = 16 + 8 + 16 + 24

    var payloadByteCount: Int
    /// One bit per usable block after S, in raster order.
    var textureMap: [UInt8]
    var trace: ExpansionTrace

    /// Bits the encoding takes, to size S before writing it.
    func bitCount() -> Int { Self.headerBits + body().count }

    /// The encoding for an S of `blockCount` blocks (at least `blockCount(forBits: bitCount())`).
    func encoded(blockCount: Int) -> (bytes: [UInt8], bitCount: Int) {
        let body = body()
        var out = BitWriter()
        out.write(Self.magic, bits: 16)
        out.write(Self.version, bits: 8)
        out.write(UInt64(blockCount), bits: 16)
        out.write(UInt64(Self.headerBits + body.count), bits: 24)
        for index in 0..<body.count { out.write(body.bytes.bit(at: index) == 1) }
        return (out.bytes, out.count)
    }

    private func body() -> BitWriter {
        var body = BitWriter()
        body.write(UInt64(payloadByteCount), bits: 32)
        body.writeRuns(textureMap)
        for (scanned, map) in zip(trace.scanned, trace.locationMaps) {
            body.writeGamma(scanned + 1)
            body.writeGamma(map.count + 1)
            body.writeRuns(map)
        }
        return body
    }

    /// Blocks of S needed to carry `bitCount` bits.
    static func blockCount(forBits bitCount: Int) -> Int {
        (bitCount + bitsPerBlock - 1) / bitsPerBlock
    }

    /// Reads the side information from the LSBs of the first usable blocks of `samples`
    /// (unscrambled), returning it with the number of blocks S spans.
    static func read(from samples: [Int32], layout: BlockLayout, passes: Int) throws(EngineError) -> (SideInformation, blockCount: Int) {
        guard let first = layout.usable.first else { throw .corruptSideInformation("frame has no usable block") }
        var header = BitReader(leastSignificantBits(of: samples, blocks: [first], layout: layout))
        guard try header.read(bits: 16) == magic else { throw .corruptSideInformation("no side information found") }
        guard try header.read(bits: 8) == version else { throw .corruptSideInformation("unsupported side information version") }
        let blockCount = Int(try header.read(bits: 16))
        let total = Int(try header.read(bits: 24))
        guard total > headerBits, total <= blockCount * bitsPerBlock, blockCount < layout.usable.count else {
            throw .corruptSideInformation("\(blockCount) blocks of \(total) bits do not fit the frame")
        }
        let bytes = leastSignificantBits(of: samples, blocks: layout.usable[..<blockCount], layout: layout)
        var reader = BitReader(bytes, bitCount: total)
        _ = try reader.read(bits: headerBits)
        let payloadByteCount = Int(try reader.read(bits: 32))
        let textureMap = try reader.readRuns(count: layout.usable.count - blockCount)
        var trace = ExpansionTrace(scanned: [], locationMaps: [])
        for _ in 0..<(passes * 2) {
            let scanned = try reader.readGamma() - 1
            // A location map has at most one bit per visited pixel: bounds what a corrupt count may allocate.
            let mapCount = try reader.readGamma() - 1
            guard scanned <= layout.width * layout.height, mapCount <= scanned else {
                throw .corruptSideInformation("scan of \(scanned) pixels with \(mapCount) location bits")
            }
            trace.scanned.append(scanned)
            trace.locationMaps.append(try reader.readRuns(count: mapCount))
        }
        guard reader.remaining == 0 else { throw .corruptSideInformation("trailing bits") }
        return (SideInformation(payloadByteCount: payloadByteCount, textureMap: textureMap, trace: trace), blockCount)
    }

    /// The LSBs of the pixels of `blocks`, blocks in order, pixels in raster order, packed MSB first.
    static func leastSignificantBits(of samples: [Int32], blocks: some Collection<Int>, layout: BlockLayout) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: blocks.count * bitsPerBlock / 8)
        var index = 0
        for block in blocks {
            layout.forEachPixel(of: block) { pixel in
                out[index >> 3] |= UInt8(samples[pixel] & 1) << UInt8(7 - index & 7)
                index += 1
            }
        }
        return out
    }

    /// Replaces the LSBs of the pixels of `blocks` with `bits` (padded with zeros). Replacing an
    /// LSB keeps a value inside its format's range: the minimum is even and the maximum odd.
    static func replaceLeastSignificantBits(of samples: inout [Int32], blocks: some Collection<Int>, layout: BlockLayout, with bits: [UInt8], bitCount: Int) {
        var index = 0
        for block in blocks {
            layout.forEachPixel(of: block) { pixel in
                let bit = index < bitCount ? bits.bit(at: index) : 0
                samples[pixel] = samples[pixel] & ~1 | bit
                index += 1
            }
        }
    }
}
