import VeilCrypto
import VeilDICOM

/// The standard home for the original values of de-identified attributes (PS3.15 E.1.1, PS3.3
/// C.12.1.1.4.1): Encrypted Attributes Sequence (0400,0500), one item holding the transfer syntax
/// of the encrypted content (0400,0510) and the content (0400,0520): CMS EnvelopedData (RSA key
/// transport to the recipient's certificate, AES-256-CBC) of a Modified Attributes Sequence
/// (0400,0550) element in Explicit VR Little Endian whose single item holds the originals.
/// This is the layout GDCM's `gdcmanon` writes and reads, so each tool re-identifies the other's output.
enum EncryptedAttributes {
    static let sequenceTag = Tag(0x0400, 0x0500)
    static let transferSyntaxTag = Tag(0x0400, 0x0510)
    static let contentTag = Tag(0x0400, 0x0520)
    static let modifiedAttributesTag = Tag(0x0400, 0x0550)
    static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"

    /// What the sequence encrypts: a Modified Attributes Sequence holding `originals`, in Explicit VR LE.
    /// Its SHA-256 is what the instance binding vouches for (CMS-CBC itself authenticates nothing).
    static func plaintext(originals: DataSet) throws -> [UInt8] {
        var wrapper = DataSet()
        wrapper.set(DataElement(tag: modifiedAttributesTag, vr: VR(rawValue: "SQ"), value: .sequence([originals])))
        return try AttributeCodec.encode(wrapper)
    }

    /// The (0400,0500) element carrying `plaintext` (see `plaintext(originals:)`), encrypted for `recipient`.
    static func element(plaintext: [UInt8], recipient: Certificate) throws -> DataElement {
        let envelope = try CMSEnvelope.encrypt(plaintext, to: recipient)
        var item = DataSet()
        item.set(DataElement(tag: transferSyntaxTag, vr: VR(rawValue: "UI"), string: explicitVRLittleEndian))
        item.set(DataElement(tag: contentTag, vr: VR(rawValue: "OB"), value: .bytes(envelope.paddedToEvenLength())))
        return DataElement(tag: sequenceTag, vr: VR(rawValue: "SQ"), value: .sequence([item]))
    }

    /// The original attributes from the first item of `dataSet`'s Encrypted Attributes Sequence that
    /// `key` can open, with the SHA-256 of its plaintext; nil when there is no such sequence. Items
    /// for other recipients are skipped.
    static func open(in dataSet: DataSet, key: PrivateKey) throws(ProtectionError) -> (originals: DataSet, plaintextSHA256: [UInt8])? {
        guard case let .sequence(items)? = dataSet[sequenceTag]?.value else { return nil }
        var lastError: ProtectionError?
        for item in items {
            guard case let .bytes(content)? = item[contentTag]?.value else { continue }
            do {
                let plain = try CMSEnvelope.decrypt(content.trimmingEvenPadding(), with: key)
                let wrapper = try AttributeCodec.decode(plain)
                guard case let .sequence(modified)? = wrapper[modifiedAttributesTag]?.value, let originals = modified.first else {
                    lastError = .tampered("the Encrypted Attributes Sequence holds no Modified Attributes Sequence")
                    continue
                }
                return (originals, SHA256.hash(plain))
            } catch let error as ProtectionError {
                lastError = error
            } catch {
                lastError = .wrongKeyOrDamaged("Encrypted Attributes Sequence: \(error)")
            }
        }
        throw lastError ?? .tampered("the Encrypted Attributes Sequence has no encrypted content")
    }
}

extension ProtectionError {
    static func wrongKeyOrDamaged(_ detail: String) -> ProtectionError {
        .tampered("cannot decrypt (wrong key or damaged data): \(detail)")
    }
}

extension [UInt8] {
    /// DICOM values have even length; OB pads with one NUL byte.
    func paddedToEvenLength() -> [UInt8] { count % 2 == 0 ? self : self + [0] }

    /// CMS DER is self-delimiting, so a trailing pad byte is not part of it: drop it when the DER
    /// length says so.
    func trimmingEvenPadding() -> [UInt8] {
        guard count >= 2, self[0] == 0x30 else { return self }
        let lengthByte = Int(self[1])
        let header: Int, length: Int
        if lengthByte < 0x80 {
            header = 2; length = lengthByte
        } else {
            let octets = lengthByte & 0x7F
            guard octets <= 4, count >= 2 + octets else { return self }
            header = 2 + octets
            length = self[2..<header].reduce(0) { $0 << 8 | Int($1) }
        }
        return header + length < count ? Array(self[..<(header + length)]) : self
    }
}
