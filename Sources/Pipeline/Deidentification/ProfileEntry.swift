/// What PS3.15 says to do with an attribute (Table E.1-1a).
enum ProfileAction: String, Sendable, Codable {
    case dummy               // D: replace with a non-empty dummy value of the same VR
    case zero                // Z: replace with an empty value
    case remove              // X
    case keep                // K
    case clean               // C: replace with a value of similar meaning that identifies nobody
    case uid                 // U: replace with a consistent new UID
    case zeroOrDummy         // Z/D
    case removeOrZero        // X/Z
    case removeOrDummy       // X/D
    case removeOrZeroOrDummy // X/Z/D
    case removeOrZeroOrUID   // X/Z/U*
}

/// The options of the Application Level Confidentiality Profile (PS3.15 E.3), with their
/// CID 7050 codes for Deidentification Method Code Sequence (0012,0064).
enum DeidentificationOption: String, Sendable, Codable, CaseIterable {
    case retainSafePrivate
    case retainUIDs
    case retainDeviceIdentity
    case retainInstitutionIdentity
    case retainPatientCharacteristics
    case retainLongitudinalFullDates
    case retainLongitudinalModifiedDates
    case cleanDescriptors
    case cleanStructuredContent
    case cleanGraphics

    var code: (value: String, meaning: String) {
        switch self {
        case .retainSafePrivate: ("113111", "Retain Safe Private Option")
        case .retainUIDs: ("113110", "Retain UIDs Option")
        case .retainDeviceIdentity: ("113109", "Retain Device Identity Option")
        case .retainInstitutionIdentity: ("113112", "Retain Institution Identity Option")
        case .retainPatientCharacteristics: ("113108", "Retain Patient Characteristics Option")
        case .retainLongitudinalFullDates: ("113106", "Retain Longitudinal Temporal Information Full Dates Option")
        case .retainLongitudinalModifiedDates: ("113107", "Retain Longitudinal Temporal Information Modified Dates Option")
        case .cleanDescriptors: ("113105", "Clean Descriptors Option")
        case .cleanStructuredContent: ("113104", "Clean Structured Content Option")
        case .cleanGraphics: ("113103", "Clean Graphics Option")
        }
    }
}

/// Which attributes a table row covers.
enum TagPattern: Sendable, Hashable {
    case tag(UInt16, UInt16)
    /// Repeating groups such as (50xx,xxxx) and (60xx,3000).
    case masked(group: UInt16, groupMask: UInt16, element: UInt16, elementMask: UInt16)
    /// (gggg,eeee) where gggg is odd.
    case privateAttributes

    func matches(group: UInt16, element: UInt16) -> Bool {
        switch self {
        case let .tag(g, e): group == g && element == e
        case let .masked(g, gm, e, em): group & gm == g && element & em == e
        case .privateAttributes: group & 1 == 1
        }
    }
}

/// One row of PS3.15 Table E.1-1.
struct ProfileEntry: Sendable {
    let name: String
    let pattern: TagPattern
    let basic: ProfileAction
    let options: [DeidentificationOption: ProfileAction]

    init(_ name: String, _ pattern: TagPattern, basic: ProfileAction,
         options: [DeidentificationOption: ProfileAction] = [:]) {
        self.name = name
        self.pattern = pattern
        self.basic = basic
        self.options = options
    }
}
