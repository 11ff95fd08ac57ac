/// A DICOM attribute tag (group, element). Ordered as DICOM orders elements in a dataset.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    public init(_ group: UInt16, _ element: UInt16) {
        self.group = group
        self.element = element
    }

    /// Odd groups hold private (vendor) attributes.
    public var isPrivate: Bool { group % 2 == 1 }

    /// (gggg,00xx) with xx in 10…FF reserves the block xx00…xxFF of a private group for one creator.
    public var isPrivateCreator: Bool { isPrivate && (0x0010...0x00FF).contains(element) }

    /// For a private data element (gggg,xxyy), the creator element (gggg,00xx) that owns its block.
    public var privateCreator: Tag? {
        isPrivate && element >= 0x1000 ? Tag(group, element >> 8) : nil
    }

    public static func < (lhs: Tag, rhs: Tag) -> Bool {
        (lhs.group, lhs.element) < (rhs.group, rhs.element)
    }

    /// "(0010,0010)", as DICOM tools print tags.
    public var description: String { "(\(Self.hex(group)),\(Self.hex(element)))" }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension Tag {
    // File Meta Information
    public static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    public static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    public static let transferSyntaxUID = Tag(0x0002, 0x0010)

    // Identification
    public static let specificCharacterSet = Tag(0x0008, 0x0005)
    public static let imageType = Tag(0x0008, 0x0008)
    public static let sopClassUID = Tag(0x0008, 0x0016)
    public static let sopInstanceUID = Tag(0x0008, 0x0018)
    public static let studyDate = Tag(0x0008, 0x0020)
    public static let studyTime = Tag(0x0008, 0x0030)
    public static let accessionNumber = Tag(0x0008, 0x0050)
    public static let modality = Tag(0x0008, 0x0060)
    public static let institutionName = Tag(0x0008, 0x0080)
    public static let referringPhysicianName = Tag(0x0008, 0x0090)
    public static let referencedImageSequence = Tag(0x0008, 0x1140)

    // Patient
    public static let patientName = Tag(0x0010, 0x0010)
    public static let patientID = Tag(0x0010, 0x0020)
    public static let patientBirthDate = Tag(0x0010, 0x0030)
    public static let patientSex = Tag(0x0010, 0x0040)
    public static let patientIdentityRemoved = Tag(0x0012, 0x0062)
    public static let deidentificationMethod = Tag(0x0012, 0x0063)
    public static let deidentificationMethodCodeSequence = Tag(0x0012, 0x0064)

    // Study, series, instance
    public static let studyInstanceUID = Tag(0x0020, 0x000D)
    public static let seriesInstanceUID = Tag(0x0020, 0x000E)
    public static let studyID = Tag(0x0020, 0x0010)
    public static let seriesNumber = Tag(0x0020, 0x0011)
    public static let instanceNumber = Tag(0x0020, 0x0013)
    public static let frameOfReferenceUID = Tag(0x0020, 0x0052)

    // Image pixel description
    public static let samplesPerPixel = Tag(0x0028, 0x0002)
    public static let photometricInterpretation = Tag(0x0028, 0x0004)
    public static let planarConfiguration = Tag(0x0028, 0x0006)
    public static let numberOfFrames = Tag(0x0028, 0x0008)
    public static let rows = Tag(0x0028, 0x0010)
    public static let columns = Tag(0x0028, 0x0011)
    public static let bitsAllocated = Tag(0x0028, 0x0100)
    public static let bitsStored = Tag(0x0028, 0x0101)
    public static let highBit = Tag(0x0028, 0x0102)
    public static let pixelRepresentation = Tag(0x0028, 0x0103)
    public static let burnedInAnnotation = Tag(0x0028, 0x0301)
    public static let windowCenter = Tag(0x0028, 0x1050)
    public static let windowWidth = Tag(0x0028, 0x1051)
    public static let rescaleIntercept = Tag(0x0028, 0x1052)
    public static let rescaleSlope = Tag(0x0028, 0x1053)
    public static let lossyImageCompression = Tag(0x0028, 0x2110)

    // Encrypted attributes (PS3.15 §E)
    public static let encryptedAttributesSequence = Tag(0x0400, 0x0500)
    public static let encryptedContentTransferSyntaxUID = Tag(0x0400, 0x0510)
    public static let encryptedContent = Tag(0x0400, 0x0520)
    public static let modifiedAttributesSequence = Tag(0x0400, 0x0550)

    public static let pixelData = Tag(0x7FE0, 0x0010)
}

extension Tag {
    /// Parses "gggg,eeee" or "(gggg,eeee)" in hexadecimal, as tags are written in configuration files.
    public init?(parsing text: String) {
        let digits = text.filter { $0 != "(" && $0 != ")" && $0 != " " }.split(separator: ",")
        guard digits.count == 2, digits.allSatisfy({ $0.count == 4 }),
              let group = UInt16(digits[0], radix: 16), let element = UInt16(digits[1], radix: 16) else { return nil }
        self.init(group, element)
    }
}
