/// A DICOM attribute tag (group, element). Ordered as DICOM orders elements in a dataset.
package struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let group: UInt16
    package let element: UInt16

    package init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Odd groups hold private (vendor) attributes.
    package var isPrivate: Bool { group % 2 == 1 }

    /// (gggg,00xx) with xx in 10…FF reserves the block xx00…xxFF of a private group for one creator.
    package var isPrivateCreator: Bool { isPrivate && (0x0010...0x00FF).contains(element) }

    /// For a private data element (gggg,xxyy), the creator element (gggg,00xx) that owns its block.
    package var privateCreator: Tag? {
        isPrivate && element >= 0x1000 ? Tag(group, element >> 8) : nil
    }

    package static func < (lhs: Tag, rhs: Tag) -> Bool {
        (lhs.group, lhs.element) < (rhs.group, rhs.element)
    }

    /// "(0010,0010)", as DICOM tools print tags.
    package var description: String { "(\(Self.hex(group)),\(Self.hex(element)))" }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension Tag {
    // File Meta Information
    package static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    package static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    package static let transferSyntaxUID = Tag(0x0002, 0x0010)

    // Identification
    package static let specificCharacterSet = Tag(0x0008, 0x0005)
    package static let imageType = Tag(0x0008, 0x0008)
    package static let sopClassUID = Tag(0x0008, 0x0016)
    package static let sopInstanceUID = Tag(0x0008, 0x0018)
    package static let studyDate = Tag(0x0008, 0x0020)
    package static let studyTime = Tag(0x0008, 0x0030)
    package static let accessionNumber = Tag(0x0008, 0x0050)
    package static let modality = Tag(0x0008, 0x0060)
    package static let institutionName = Tag(0x0008, 0x0080)
    package static let referringPhysicianName = Tag(0x0008, 0x0090)
    package static let referencedImageSequence = Tag(0x0008, 0x1140)

    // Patient
    package static let patientName = Tag(0x0010, 0x0010)
    package static let patientID = Tag(0x0010, 0x0020)
    package static let patientBirthDate = Tag(0x0010, 0x0030)
    package static let patientSex = Tag(0x0010, 0x0040)
    package static let patientIdentityRemoved = Tag(0x0012, 0x0062)
    package static let deidentificationMethod = Tag(0x0012, 0x0063)
    package static let deidentificationMethodCodeSequence = Tag(0x0012, 0x0064)

    // Study, series, instance
    package static let studyInstanceUID = Tag(0x0020, 0x000D)
    package static let seriesInstanceUID = Tag(0x0020, 0x000E)
    package static let studyID = Tag(0x0020, 0x0010)
    package static let seriesNumber = Tag(0x0020, 0x0011)
    package static let instanceNumber = Tag(0x0020, 0x0013)
    package static let frameOfReferenceUID = Tag(0x0020, 0x0052)

    // Image pixel description
    package static let samplesPerPixel = Tag(0x0028, 0x0002)
    package static let photometricInterpretation = Tag(0x0028, 0x0004)
    package static let planarConfiguration = Tag(0x0028, 0x0006)
    package static let numberOfFrames = Tag(0x0028, 0x0008)
    package static let rows = Tag(0x0028, 0x0010)
    package static let columns = Tag(0x0028, 0x0011)
    package static let bitsAllocated = Tag(0x0028, 0x0100)
    package static let bitsStored = Tag(0x0028, 0x0101)
    package static let highBit = Tag(0x0028, 0x0102)
    package static let pixelRepresentation = Tag(0x0028, 0x0103)
    package static let burnedInAnnotation = Tag(0x0028, 0x0301)
    package static let windowCenter = Tag(0x0028, 0x1050)
    package static let windowWidth = Tag(0x0028, 0x1051)
    package static let rescaleIntercept = Tag(0x0028, 0x1052)
    package static let rescaleSlope = Tag(0x0028, 0x1053)
    package static let lossyImageCompression = Tag(0x0028, 0x2110)

    // Encrypted attributes (PS3.15 §E)
    package static let encryptedAttributesSequence = Tag(0x0400, 0x0500)
    package static let encryptedContentTransferSyntaxUID = Tag(0x0400, 0x0510)
    package static let encryptedContent = Tag(0x0400, 0x0520)
    package static let modifiedAttributesSequence = Tag(0x0400, 0x0550)

    package static let pixelData = Tag(0x7FE0, 0x0010)
}

extension Tag {
    /// Parses "gggg,eeee" or "(gggg,eeee)" in hexadecimal, as tags are written in configuration files.
    package init?(parsing text: String) {
        let digits = text.filter { $0 != "(" && $0 != ")" && $0 != " " }.split(separator: ",")
        guard digits.count == 2, digits.allSatisfy({ $0.count == 4 }),
              let group = UInt16(digits[0], radix: 16), let element = UInt16(digits[1], radix: 16) else { return nil }
        self.init(group, element)
    }
}
