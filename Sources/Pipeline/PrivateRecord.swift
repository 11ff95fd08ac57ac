import VeilCrypto
import VeilDICOM

/// Our private block, (0029,00bb) "DCMVEIL 1" with (0029,bb01) holding the restoration record as
/// CMS EnvelopedData for the recipient. The block number is the first one free in group 0029,
/// so a kept vendor block is never overwritten; readers find ours by its creator.
enum PrivateRecord {
    static let group: UInt16 = 0x0029
    static let creator = "DCMVEIL 1"

    static func insert(_ record: RestorationRecord, into dataSet: inout DataSet, recipient: Certificate) throws {
        let used = Set(dataSet.elements.filter { $0.tag.group == group && $0.tag.isPrivateCreator }.map { $0.tag.element })
        guard let block = (UInt16(0x10)...0xFF).first(where: { !used.contains($0) }) else { return }
        let envelope = try CMSEnvelope.encrypt(record.encoded(), to: recipient)
        dataSet.set(DataElement(tag: Tag(group, block), vr: VR(rawValue: "LO"), string: creator))
        dataSet.set(DataElement(tag: Tag(group, block << 8 | 0x01), vr: VR(rawValue: "OB"), value: .bytes(envelope.paddedToEvenLength())))
    }

    /// Tags of our block (creator and data), so restore can drop them.
    static func tags(in dataSet: DataSet) -> [Tag] {
        guard let creatorTag = creatorTag(in: dataSet) else { return [] }
        return [creatorTag, Tag(group, creatorTag.element << 8 | 0x01)]
    }

    /// The record, if the block is there; a block we cannot open is an error (wrong key or damage).
    static func record(in dataSet: DataSet, key: PrivateKey) throws(ProtectionError) -> RestorationRecord? {
        guard let creatorTag = creatorTag(in: dataSet),
              case let .bytes(envelope)? = dataSet[Tag(group, creatorTag.element << 8 | 0x01)]?.value else { return nil }
        let plain: [UInt8]
        do {
            plain = try CMSEnvelope.decrypt(envelope.trimmingEvenPadding(), with: key)
        } catch {
            throw .wrongKeyOrDamaged("restoration record: \(error)")
        }
        return try RestorationRecord(decoding: plain)
    }

    private static func creatorTag(in dataSet: DataSet) -> Tag? {
        dataSet.elements.first { $0.tag.group == group && $0.tag.isPrivateCreator && $0.string == creator }?.tag
    }
}
