/// The secret the frame carries, sealed with the content key before embedding.
///
/// Plaintext layout (big-endian), version 2: version (1), sample packing (1), compressed key-region
/// length (4), compressed key region, attachment length (4), attachment (the caller's own sealed
/// bytes, opaque to the engine), original LSBs of the side-information area (8 bytes per block),
/// SHA-256 of the original frame (32). Version 1 (format 1, still read) has no attachment fields.
struct Payload: Equatable {
    static let version: UInt8 = 2
    private static let checksumSize = 32

    var packing: SamplePacking
    var compressedKeyRegion: [UInt8]
    var attachment: [UInt8]
    var sideLeastSignificantBits: [UInt8]
    var checksum: [UInt8]
    /// The version this payload was read as (written payloads are always the current one).
    var version = Payload.version

    /// Plaintext length for a given S size, known before the LSBs are: the planner needs it.
    static func plaintextSize(compressedKeyRegion: Int, attachment: Int, sideBlockCount: Int, version: UInt8 = version) -> Int {
        1 + 1 + 4 + compressedKeyRegion + (version >= 2 ? 4 + attachment : 0)
            + sideBlockCount * SideInformation.bitsPerBlock / 8 + checksumSize
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.version, packing.rawValue]
        out.reserveCapacity(Self.plaintextSize(compressedKeyRegion: compressedKeyRegion.count, attachment: attachment.count,
                                               sideBlockCount: sideLeastSignificantBits.count * 8 / SideInformation.bitsPerBlock))
        out.appendBigEndian(UInt32(compressedKeyRegion.count))
        out += compressedKeyRegion
        out.appendBigEndian(UInt32(attachment.count))
        out += attachment
        out += sideLeastSignificantBits
        out += checksum
        return out
    }

    init(packing: SamplePacking, compressedKeyRegion: [UInt8], attachment: [UInt8] = [], sideLeastSignificantBits: [UInt8], checksum: [UInt8]) {
        self.packing = packing
        self.compressedKeyRegion = compressedKeyRegion
        self.attachment = attachment
        self.sideLeastSignificantBits = sideLeastSignificantBits
        self.checksum = checksum
    }

    /// Parses an opened payload (version 1 or 2) whose S spans `sideBlockCount` blocks.
    init(decoding bytes: [UInt8], sideBlockCount: Int) throws(EngineError) {
        guard bytes.count >= 6 else { throw .corruptPayload("too short") }
        let version = bytes[0]
        guard version == 1 || version == 2 else { throw .corruptPayload("unsupported version \(version)") }
        guard let packing = SamplePacking(rawValue: bytes[1]) else { throw .corruptPayload("unknown sample packing \(bytes[1])") }
        func length(at offset: Int) throws(EngineError) -> Int {
            guard offset + 4 <= bytes.count else { throw .corruptPayload("too short") }
            return bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        let keyRegionSize = try length(at: 2)
        let keyRegionEnd = 6 + keyRegionSize
        var attachmentRange = keyRegionEnd..<keyRegionEnd
        if version >= 2 {
            guard keyRegionSize <= bytes.count else { throw .corruptPayload("length does not match its contents") }
            let attachmentSize = try length(at: keyRegionEnd)
            guard attachmentSize <= bytes.count else { throw .corruptPayload("length does not match its contents") }
            attachmentRange = (keyRegionEnd + 4)..<(keyRegionEnd + 4 + attachmentSize)
        }
        guard bytes.count == Self.plaintextSize(compressedKeyRegion: keyRegionSize, attachment: attachmentRange.count,
                                                sideBlockCount: sideBlockCount, version: version) else {
            throw .corruptPayload("length does not match its contents")
        }
        let lsbEnd = attachmentRange.upperBound + sideBlockCount * SideInformation.bitsPerBlock / 8
        self.init(packing: packing, compressedKeyRegion: Array(bytes[6..<keyRegionEnd]), attachment: Array(bytes[attachmentRange]),
                  sideLeastSignificantBits: Array(bytes[attachmentRange.upperBound..<lsbEnd]),
                  checksum: Array(bytes[lsbEnd...]))
        self.version = version
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
