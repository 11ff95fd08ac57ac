import VeilCrypto
import VeilDICOM

/// What ties one protected instance's parts together (SPEC §2 "Bound together") and what its
/// pixels need to be read ("The pixels carry what is needed to read them"). Format 2 seals it with
/// every frame's payload, so it is as authentic as the pixels themselves: restore refuses an
/// Encrypted Attributes Sequence or restoration record whose plaintext digest differs, or a header
/// of another instance, and puts the original pixel description back even when the header lost it.
struct InstanceBinding: Equatable, Sendable {
    static let magic = Array("DVB2".utf8)

    /// The original Image Pixel description attributes, encoded in Explicit VR Little Endian.
    var pixelDescription: [UInt8]
    /// SHA-256 of the protected (replaced) SOP Instance UID: the header the pixels belong to. A
    /// digest rather than the UID keeps the payload's size independent of the UID's length, so
    /// reruns with the same inputs choose the same embedding.
    var protectedSOPInstanceUIDSHA256: [UInt8]
    /// SHA-256 of the Encrypted Attributes Sequence's plaintext.
    var encryptedAttributesSHA256: [UInt8]
    /// SHA-256 of the restoration record's plaintext.
    var recordSHA256: [UInt8]

    /// The attributes restore needs to read the pixels: shape, sample layout, colour model.
    static let pixelDescriptionTags: [Tag] = [
        .samplesPerPixel, .photometricInterpretation, .planarConfiguration, .numberOfFrames, .rows, .columns,
        .bitsAllocated, .bitsStored, .highBit, .pixelRepresentation,
    ]

    /// `decoded`: the geometry of the decoded frames, whose colour model (Photometric Interpretation,
    /// Planar Configuration) is what the restored, uncompressed pixels have (a JPEG's YBR decodes to RGB).
    static func pixelDescription(of dataSet: DataSet, decoded: ImageGeometry? = nil) throws -> [UInt8] {
        var description = DataSet()
        for tag in pixelDescriptionTags { if let element = dataSet[tag] { description.set(element) } }
        if let decoded, decoded.photometricInterpretation != dataSet.string(.photometricInterpretation) {
            description.set(DataElement(tag: .photometricInterpretation, vr: VR(rawValue: "CS"), string: decoded.photometricInterpretation))
        }
        if let decoded, decoded.planes > 1, decoded.planarConfiguration != dataSet.number(.planarConfiguration).map({ Int($0) }) {
            description.set(DataElement(tag: .planarConfiguration, uint16s: [UInt16(decoded.planarConfiguration)]))
        }
        return try AttributeCodec.encode(description)
    }

    /// Sets the original pixel description in `dataSet`, removing what the original did not have.
    func applyPixelDescription(to dataSet: inout DataSet) throws(ProtectionError) {
        let description: DataSet
        do { description = try AttributeCodec.decode(pixelDescription) } catch {
            throw .tampered("the sealed pixel description does not decode (\(error))")
        }
        for tag in Self.pixelDescriptionTags {
            if let element = description[tag] { dataSet.set(element) } else { dataSet.remove(tag) }
        }
    }

    func encoded() -> [UInt8] {
        var out = Self.magic
        out.appendBlock(pixelDescription)
        out.appendBlock(protectedSOPInstanceUIDSHA256)
        out.appendBlock(encryptedAttributesSHA256)
        out.appendBlock(recordSHA256)
        return out
    }

    init(pixelDescription: [UInt8], protectedSOPInstanceUID: String, encryptedAttributesSHA256: [UInt8], recordSHA256: [UInt8]) {
        self.pixelDescription = pixelDescription
        protectedSOPInstanceUIDSHA256 = SHA256.hash(Array(protectedSOPInstanceUID.utf8))
        self.encryptedAttributesSHA256 = encryptedAttributesSHA256
        self.recordSHA256 = recordSHA256
    }

    /// Parses a payload's attachment (authenticated already, so damage here means a bug or a
    /// newer writer, reported as such).
    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        var reader = ByteReader(bytes)
        guard (try? reader.take(4)) == Self.magic else { throw .unsupportedFormat("unknown instance binding in the payload") }
        do {
            pixelDescription = try reader.block()
            protectedSOPInstanceUIDSHA256 = try reader.block()
            encryptedAttributesSHA256 = try reader.block()
            recordSHA256 = try reader.block()
            guard reader.isAtEnd else { throw ByteReader.Overrun() }
        } catch {
            throw .tampered("the instance binding is malformed")
        }
    }

    /// Refuses parts that do not belong to the instance these pixels were sealed for.
    func check(header: DataSet, encryptedAttributesSHA256 eas: [UInt8]?, recordSHA256 record: [UInt8]?) throws(ProtectionError) {
        let headerUID = header.string(.sopInstanceUID) ?? ""
        guard SHA256.hash(Array(headerUID.utf8)) == protectedSOPInstanceUIDSHA256 else {
            throw .mismatched("the pixel data was protected for another instance than this header's (SOP Instance UID \(headerUID))")
        }
        if let eas, eas != encryptedAttributesSHA256 {
            throw .mismatched("the Encrypted Attributes Sequence does not belong to these pixels (moved from another instance or altered)")
        }
        if let record, record != recordSHA256 {
            throw .mismatched("the restoration record does not belong to these pixels (moved from another instance or altered)")
        }
    }
}
