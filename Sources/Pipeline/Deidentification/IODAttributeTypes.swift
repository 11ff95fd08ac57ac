import VeilDICOM

/// An attribute's Type in an IOD (PS3.3 §5.4), as far as de-identification cares: 1 and 1C must
/// have a value when present, 2 and 2C must be present (empty allowed), 3 may be left out.
enum AttributeType: Int, Comparable, Sendable {
    case required = 1       // 1, 1C
    case requiredEmpty = 2  // 2, 2C
    case optional = 3       // 3, or not part of the IOD at that place

    init?(_ code: Substring) {
        switch code.first {
        case "1": self = .required
        case "2": self = .requiredEmpty
        case "3": self = .optional
        default: return nil
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where an attribute sits: the tags of its enclosing sequences, then its own tag.
typealias AttributePath = [UInt32]

extension Tag {
    var code: UInt32 { UInt32(group) << 16 | UInt32(element) }
}

/// The Types of the attributes de-identification resolves by Type, in one IOD (from `IODTable`).
struct IODAttributeTypes: Sendable {
    let iod: String
    /// Strictest Type for each path any of the IOD's modules lists.
    let types: [AttributePath: AttributeType]
    /// The IOD allows only NO in Burned In Annotation (the enhanced multi-frame image IODs and a few others).
    let burnedInAnnotationMustBeNo: Bool
    /// The IOD has Burned In Annotation at all.
    var hasBurnedInAnnotation: Bool { types[[Tag(0x0028, 0x0301).code]] != nil }

    /// The Type at `path`; attributes the IOD does not list there count as Type 3 (leaving them out
    /// is always valid).
    func type(at path: AttributePath) -> AttributeType { types[path] ?? .optional }

    /// The IOD of a SOP Class; nil for SOP Classes the table does not know.
    static func forSOPClass(_ uid: String) -> IODAttributeTypes? { parsed[uid] }

    /// `IODTable.data` parsed once, by SOP Class UID.
    private static let parsed: [String: IODAttributeTypes] = {
        var modules: [[(AttributePath, AttributeType)]] = []
        var iods: [String: [AttributePath: AttributeType]] = [:]
        var noOnly = Set<String>()
        var result: [String: IODAttributeTypes] = [:]
        for line in IODTable.data.split(separator: "\n") {
            let fields = line.split(separator: " ")
            switch fields[0] {
            case "M":
                modules.append(fields.dropFirst(2).map { entry in
                    let parts = entry.split(separator: "=")
                    let path = parts[0].split(separator: "/").map { UInt32($0, radix: 16)! }
                    return (path, AttributeType(parts[1])!)
                })
            case "I":
                var types: [AttributePath: AttributeType] = [:]
                for module in fields.dropFirst(2) {
                    for (path, type) in modules[Int(module)!] { types[path] = min(types[path] ?? .optional, type) }
                }
                iods[String(fields[1])] = types
            case "N":
                noOnly.insert(String(fields[1]))
            case "S":
                let iod = String(fields[2])
                result[String(fields[1])] = IODAttributeTypes(
                    iod: iod, types: iods[iod] ?? [:], burnedInAnnotationMustBeNo: noOnly.contains(iod))
            default:
                preconditionFailure("IODTable: unknown line \(line.prefix(20))")
            }
        }
        return result
    }()
}
