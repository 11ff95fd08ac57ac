import Foundation
import VeilDICOM

/// What the configuration says to do with one attribute, whatever the profile says
/// (`deidentification.overrides`): "keep", "remove", "empty", "hash" (keyed), or {"replace": value}.
package enum AttributeOverride: Sendable, Equatable, Codable {
    case keep
    case remove
    case empty
    /// HMAC-SHA-256 under the site secret: the same value always gives the same result, which
    /// keeps records linkable without revealing them. UIDs become `2.25.` UIDs as the profile makes them.
    case hash
    case replace(String)

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let name = try? container.decode(String.self) {
            switch name {
            case "keep": self = .keep
            case "remove": self = .remove
            case "empty": self = .empty
            case "hash": self = .hash
            default:
                throw DecodingError.dataCorruptedError(in: container, debugDescription:
                    "unknown action \"\(name)\" (keep, remove, empty, hash, or {\"replace\": value})")
            }
        } else if let object = try? container.decode([String: String].self), object.count == 1, let value = object["replace"] {
            self = .replace(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "expected \"keep\", \"remove\", \"empty\", \"hash\" or {\"replace\": value}")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .keep: try container.encode("keep")
        case .remove: try container.encode("remove")
        case .empty: try container.encode("empty")
        case .hash: try container.encode("hash")
        case let .replace(value): try container.encode(["replace": value])
        }
    }
}

/// The attribute an override names: a public tag (by tag or keyword), or a private element by its
/// creator and the low byte of its element number (private block numbers differ between files).
enum OverrideTarget: Hashable, Sendable {
    case tag(UInt32)
    case privateElement(group: UInt16, creator: String, element: UInt8)

    /// Parses a configuration key: "PatientID", "(0010,0020)", "0010,0020", "00100020", or
    /// "(0019,xx0C) SIEMENS MR HEADER" for a private element. Nil when it is none of these.
    init?(key: String) {
        let text = key.trimmingCharacters(in: .whitespaces)
        if let match = text.wholeMatch(of: /\(?([0-9A-Fa-f]{4}),?xx([0-9A-Fa-f]{2})\)?\s+(\S.*)/) {
            guard let group = UInt16(match.1, radix: 16), group % 2 == 1, let element = UInt8(match.2, radix: 16) else { return nil }
            self = .privateElement(group: group, creator: String(match.3), element: element)
        } else if let match = text.wholeMatch(of: /\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\)?/) {
            guard let group = UInt16(match.1, radix: 16), let element = UInt16(match.2, radix: 16), group % 2 == 0 else { return nil }
            self = .tag(UInt32(group) << 16 | UInt32(element))
        } else if text.allSatisfy({ $0.isLetter || $0.isNumber }), let entry = DataDictionary.lookup(text) {
            self = .tag(entry.tag.code)
        } else {
            return nil
        }
    }
}

/// The overrides of a configuration, checked and ready for lookup.
struct Overrides: Sendable {
    private(set) var byTarget: [OverrideTarget: AttributeOverride] = [:]

    init() {}

    /// Fails with the first key that names no attribute.
    init(_ configured: [String: AttributeOverride]) throws(ProtectionError) {
        for (key, action) in configured.sorted(by: { $0.key < $1.key }) {
            guard let target = OverrideTarget(key: key) else {
                throw .configuration("deidentification.overrides: \"\(key)\" is neither a keyword nor a tag like \"(0010,0020)\" or \"(0019,xx0C) CREATOR\"")
            }
            if case let .tag(code) = target, code >> 16 == 0x0002 || code == Tag.sopClassUID.code {
                throw .configuration("deidentification.overrides: \"\(key)\" cannot be overridden (file meta information and SOP Class UID are not de-identified)")
            }
            byTarget[target] = action
        }
    }

    var isEmpty: Bool { byTarget.isEmpty }

    subscript(tag: Tag) -> AttributeOverride? { byTarget.isEmpty ? nil : byTarget[.tag(tag.code)] }

    subscript(group: UInt16, creator: String, element: UInt8) -> AttributeOverride? {
        byTarget.isEmpty ? nil : byTarget[.privateElement(group: group, creator: creator, element: element)]
    }

    /// Private creators with an override that keeps an element of theirs (their creator element must stay).
    func keepsElements(of creator: String, group: UInt16) -> Bool {
        byTarget.contains { target, action in
            if case let .privateElement(g, c, _) = target { return g == group && c == creator && action != .remove }
            return false
        }
    }
}
