import VeilCrypto
import VeilDICOM

/// Our private block, (0029,00bb) "DCMVEIL 1" with (0029,bb01) holding the restoration record
/// encrypted for the recipient. The block number is the first one free in group 0029, so a kept
/// vendor block is never overwritten; readers find ours by its creator.
///
/// Format 2 seals the record with AES-256-GCM under a fresh key wrapped with RSA-OAEP:
/// "DVS2" ‖ wrapped-key length (4) ‖ wrapped key ‖ sealed length (4) ‖ nonce ‖ ciphertext ‖ tag
/// (lengths big-endian; a pad byte to even length may follow) — authenticated, so a
/// changed bit is refused instead of decrypting to something else. Format 1 wrote CMS EnvelopedData
/// (AES-CBC, no integrity); it is still read, and treated as unauthenticated.
enum PrivateRecord {
    static let group: UInt16 = 0x0029
    static let creator = "DCMVEIL 1"
    static let sealedMagic = Array("DVS2".utf8)
    private static let associatedData = Array("dcmveil restoration record v2".utf8)

    /// A restoration record as read from a file.
    struct Opened {
        var record: RestorationRecord
        /// SHA-256 of the record's plaintext: what a frame's instance binding vouches for.
        var plaintextSHA256: [UInt8]
        /// Read from an authenticated (format 2) container.
        var authenticated: Bool
    }

    /// The sealed element value for `plaintext`.
    static func seal(_ plaintext: [UInt8], recipient: Certificate) throws -> [UInt8] {
        let key = SecureRandom.bytes(32)
        var out = sealedMagic
        out.appendBlock(try RSAOAEP.encrypt(key, for: recipient.publicKey))
        out.appendBlock(try AESGCM.seal(plaintext, key: key, authenticating: associatedData))
        return out
    }

    /// Adds the record's block; `plaintext` is `record.encoded()`, which the caller has already hashed.
    static func insert(plaintext: [UInt8], into dataSet: inout DataSet, recipient: Certificate) throws {
        let used = Set(dataSet.elements.filter { $0.tag.group == group && $0.tag.isPrivateCreator }.map { $0.tag.element })
        guard let block = (UInt16(0x10)...0xFF).first(where: { !used.contains($0) }) else { return }
        let sealed = try seal(plaintext, recipient: recipient)
        dataSet.set(DataElement(tag: Tag(group, block), vr: VR(rawValue: "LO"), string: creator))
        dataSet.set(DataElement(tag: Tag(group, block << 8 | 0x01), vr: VR(rawValue: "OB"), value: .bytes(sealed.paddedToEvenLength())))
    }

    /// Tags of our block (creator and data), so restore can drop them.
    static func tags(in dataSet: DataSet) -> [Tag] {
        guard let creatorTag = creatorTag(in: dataSet) else { return [] }
        return [creatorTag, Tag(group, creatorTag.element << 8 | 0x01)]
    }

    /// The record, if the block is there; a block we cannot open is an error (wrong key or damage).
    static func record(in dataSet: DataSet, key: PrivateKey) throws(ProtectionError) -> Opened? {
        guard let creatorTag = creatorTag(in: dataSet),
              case let .bytes(value)? = dataSet[Tag(group, creatorTag.element << 8 | 0x01)]?.value else { return nil }
        let authenticated = value.starts(with: sealedMagic)
        let plain: [UInt8]
        do {
            plain = authenticated ? try open(value, key: key) : try CMSEnvelope.decrypt(value.trimmingEvenPadding(), with: key)
        } catch {
            throw .wrongKeyOrDamaged("restoration record: \(error)")
        }
        let record = try RestorationRecord(decoding: plain)
        // A format-2 record only counts in its authenticated container.
        return Opened(record: record, plaintextSHA256: SHA256.hash(plain), authenticated: authenticated && record.binding != nil)
    }

    private static func open(_ value: [UInt8], key: PrivateKey) throws -> [UInt8] {
        var reader = ByteReader(value)
        _ = try reader.take(sealedMagic.count)
        let wrapped = try reader.block()
        let sealed = try reader.block()
        return try AESGCM.open(sealed, key: RSAOAEP.decrypt(wrapped, with: key), authenticating: associatedData)
    }

    private static func creatorTag(in dataSet: DataSet) -> Tag? {
        dataSet.elements.first { $0.tag.group == group && $0.tag.isPrivateCreator && $0.string == creator }?.tag
    }
}
