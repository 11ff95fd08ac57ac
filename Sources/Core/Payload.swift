/// The secret the frame carries, sealed with the content key before embedding.
///
/// Plaintext layout (big-endian): version (1), sample packing (1), compressed key-region length (4),
/// compressed key region, original LSBs of the side-information area (8 bytes per block),
/// SHA-256 of the original frame (32).
struct Payload: Equatable {
    static let version: UInt8 = 1
    private static let checksumSize = 32

    var packing: SamplePacking
    var compressedKeyRegion: [UInt8]
    var sideLeastSignificantBits: [UInt8]
    var checksum: [UInt8]

    /// Plaintext length for a given S size, known before the LSBs are: the planner needs it.
    static func plaintextSize(compressedKeyRegion: Int, sideBlockCount: Int) -> Int {
        1 + 1 + 4 + compressedKeyRegion + sideBlockCount * SideInformation.bitsPerBlock / 8 + checksumSize
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.version, packing.rawValue]
        out.reserveCapacity(Self.plaintextSize(compressedKeyRegion: compressedKeyRegion.count,
                                               sideBlockCount: sideLeastSignificantBits.count * 8 / SideInformation.bitsPerBlock))
        out.appendBigEndian(UInt32(compressedKeyRegion.count))
        out += compressedKeyRegion
        out += sideLeastSignificantBits
        out += checksum
        return out
    }

    init(packing: SamplePacking, compressedKeyRegion: [UInt8], sideLeastSignificantBits: [UInt8], checksum: [UInt8]) {
        self.packing = packing
        self.compressedKeyRegion = compressedKeyRegion
        self.sideLeastSignificantBits = sideLeastSignificantBits
        self.checksum = checksum
    }

    /// Parses an opened payload whose S spans `sideBlockCount` blocks.
    init(decoding bytes: [UInt8], sideBlockCount: Int) throws(EngineError) {
        guard bytes.count >= 6 else { throw .corruptPayload("too short") }
        guard bytes[0] == Self.version else { throw .corruptPayload("unsupported version \(bytes[0])") }
        guard let packing = SamplePacking(rawValue: bytes[1]) else { throw .corruptPayload("unknown sample packing \(bytes[1])") }
        let keyRegionSize = bytes[2..<6].reduce(0) { $0 << 8 | Int($1) }
        guard bytes.count == Self.plaintextSize(compressedKeyRegion: keyRegionSize, sideBlockCount: sideBlockCount) else {
            throw .corruptPayload("length does not match its contents")
        }
        let lsbEnd = 6 + keyRegionSize + sideBlockCount * SideInformation.bitsPerBlock / 8
        self.init(packing: packing, compressedKeyRegion: Array(bytes[6..<(6 + keyRegionSize)]),
                  sideLeastSignificantBits: Array(bytes[(6 + keyRegionSize)..<lsbEnd]),
                  checksum: Array(bytes[lsbEnd...]))
    }

    /// What the frame's checksum is computed over: each sample as a 16-bit little-endian word.
    static func checksumInput(_ samples: [Int32]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: samples.count * 2)
        samples.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { out in
                for i in 0..<px.count {
                    let word = UInt16(truncatingIfNeeded: px[i])
                    out[2 * i] = UInt8(word & 0xFF)
                    out[2 * i + 1] = UInt8(word >> 8)
                }
            }
        }
        return out
    }

    /// Associated data for sealing: the caller's (QR plain text, geometry as the pipeline sees it),
    /// then the parameters and the frame geometry and format, so that altering any of them fails
    /// authentication.
    static func associatedData(_ caller: [UInt8], parameters: EmbeddingParameters, frame: Frame) -> [UInt8] {
        var out = caller
        out += Array("dcmveil.core.v1".utf8)
        out += parameters.encoded()
        out.appendBigEndian(UInt32(frame.width))
        out.appendBigEndian(UInt32(frame.height))
        out.append(UInt8(frame.format.bitsStored))
        out.append(frame.format.isSigned ? 1 : 0)
        return out
    }
}
