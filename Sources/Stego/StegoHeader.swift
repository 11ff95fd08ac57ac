/// The clear header at the start of every stego image, carried in the LSBs of the first samples in raster
/// order whatever the embedding order, so that a receiver can always find it. Format version 1, big endian:
///
///     offset  size  field
///          0     4  magic "DVSG"
///          4     1  version (1)
///          5     1  order of the payload bits: 0 sequential, 1 keyed
///          6    16  seed of the keyed order (random; present in both orders)
///         22    32  recipient: SHA-256 of the DER SubjectPublicKeyInfo of the key the content key is wrapped for
///         54     2  n, length of the wrapped key
///         56     4  length of the sealed payload
///         60     n  content key, RSA-OAEP-wrapped for the recipient
///
/// The header is not secret: it says that the image carries a payload and for whom. It is authenticated
/// as the AES-GCM associated data of the sealed payload, so changing any field is detected on reveal.
struct StegoHeader: Equatable {
    static let magic = Array("DVSG".utf8)
    static let version: UInt8 = 1
    static let fixedByteCount = 60
    static let seedByteCount = 16
    /// Generous bound on an RSA-OAEP ciphertext (16384-bit keys), so a corrupt length is caught early.
    static let maximumWrappedKeyByteCount = 2048

    var order: EmbeddingOrder
    var seed: [UInt8]
    var recipient: [UInt8]
    var wrappedKey: [UInt8]
    var sealedByteCount: Int

    var byteCount: Int { Self.fixedByteCount + wrappedKey.count }

    func encoded() -> [UInt8] {
        var bytes = Self.magic + [Self.version, order.code] + seed + recipient
        bytes += bigEndian(UInt64(wrappedKey.count), byteCount: 2)
        bytes += bigEndian(UInt64(sealedByteCount), byteCount: 4)
        return bytes + wrappedKey
    }

    /// Reads a header, asking `read(offset, count)` for its bytes: first the fixed part, then the wrapped
    /// key whose length the fixed part gives. `capacity` is how many bytes the image can hold in all.
    static func decode(
        capacity: Int, path: String, read: (_ offset: Int, _ count: Int) -> [UInt8]
    ) throws(StegoError) -> StegoHeader {
        guard capacity >= fixedByteCount else { throw .noPayload(path: path) }
        let fixed = read(0, fixedByteCount)
        guard Array(fixed[0..<4]) == magic else { throw .noPayload(path: path) }
        guard fixed[4] == version else { throw .unsupportedVersion(path: path, version: fixed[4]) }
        guard let order = EmbeddingOrder(code: fixed[5]) else {
            throw .corruptHeader(path: path, detail: "unknown embedding order \(fixed[5])")
        }
        let wrappedKeyByteCount = Int(integer(fixed[54..<56]))
        let sealedByteCount = Int(integer(fixed[56..<60]))
        guard (1...maximumWrappedKeyByteCount).contains(wrappedKeyByteCount) else {
            throw .corruptHeader(path: path, detail: "wrapped key of \(wrappedKeyByteCount) bytes")
        }
        let total = fixedByteCount + wrappedKeyByteCount + sealedByteCount
        guard total <= capacity else {
            throw .corruptHeader(path: path, detail: "it claims \(total) bytes, the image holds \(capacity)")
        }
        return StegoHeader(
            order: order, seed: Array(fixed[6..<22]), recipient: Array(fixed[22..<54]),
            wrappedKey: read(fixedByteCount, wrappedKeyByteCount), sealedByteCount: sealedByteCount)
    }
}

func bigEndian(_ value: UInt64, byteCount: Int) -> [UInt8] {
    (0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

func integer(_ bigEndianBytes: ArraySlice<UInt8>) -> UInt64 {
    bigEndianBytes.reduce(0) { $0 << 8 | UInt64($1) }
}
