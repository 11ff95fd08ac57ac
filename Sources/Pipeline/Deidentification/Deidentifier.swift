import VeilDICOM

/// Applies the PS3.15 Application Level Confidentiality Profile to a dataset, at every nesting
/// level. (The originals for the Encrypted Attributes Sequence are found afterwards by comparing
/// the final header with the original, so that nothing changed later can be missed.)
///
/// Where the table offers a choice that depends on the IOD's attribute type (X/Z, Z/D, …) we take
/// the choice that is valid for every type it can be without knowing the IOD: an empty value when
/// Z is allowed (valid for Type 2 and 3), removal for X/D (those are Type 3 in image IODs), and
/// consistent UID replacement inside reference sequences (X/Z/U*), which keeps series coherent.
struct Deidentifier: Sendable {
    var options: Set<DeidentificationOption>
    /// Private creators whose blocks are kept (everything else private is removed).
    var keptPrivateCreators: Set<String>
    var uids: UIDMapper

    func apply(to original: DataSet) -> DataSet {
        let keptPrivateBlocks = privateBlocksToKeep(in: original)
        var result = DataSet()
        for element in original.elements {
            if let outcome = transform(element, keptPrivateBlocks: keptPrivateBlocks) { result.set(outcome) }
        }
        return result
    }

    /// Which action the profile and the chosen options give an attribute.
    func action(for tag: Tag) -> ProfileAction? {
        guard let entry = DeidentificationProfile.entry(for: tag) else { return nil }
        let optionActions = options.compactMap { entry.options[$0] }
        if optionActions.contains(.keep) { return .keep }
        if optionActions.contains(.clean) { return .clean }
        return entry.basic
    }

    private func transform(_ element: DataElement, keptPrivateBlocks: Set<PrivateBlock>) -> DataElement? {
        if element.tag.isPrivate {
            guard let block = PrivateBlock(element.tag), keptPrivateBlocks.contains(block) else { return nil }
            return element
        }
        switch resolved(action(for: element.tag)) {
        case nil, .keep?:
            return recursed(element)
        case .remove?:
            return nil
        case .zero?:
            return element.emptied()
        case .dummy?, .clean?:
            if case .sequence = element.value { return recursed(element) }
            return element.withDummyValue()
        case .uid?:
            if case .sequence = element.value { return recursed(element) }
            return element.mapped { uids.map($0) }
        default:
            preconditionFailure("resolved() returns single actions only")
        }
    }

    /// Turns the table's conditional actions into one action, as the type comment explains.
    private func resolved(_ action: ProfileAction?) -> ProfileAction? {
        switch action {
        case .zeroOrDummy?, .removeOrZero?, .removeOrZeroOrDummy?: .zero
        case .removeOrDummy?: .remove
        case .removeOrZeroOrUID?: .uid
        default: action
        }
    }

    /// A sequence with the profile applied inside each item (K on a sequence means "cleaned").
    private func recursed(_ element: DataElement) -> DataElement {
        guard case let .sequence(items) = element.value else { return element }
        var copy = element
        copy.value = .sequence(items.map(apply(to:)))
        return copy
    }

    private func privateBlocksToKeep(in dataSet: DataSet) -> Set<PrivateBlock> {
        guard !keptPrivateCreators.isEmpty else { return [] }
        var blocks = Set<PrivateBlock>()
        for element in dataSet.elements where element.tag.isPrivateCreator {
            if let creator = element.string, keptPrivateCreators.contains(creator) {
                blocks.insert(PrivateBlock(group: element.tag.group, block: UInt8(element.tag.element & 0xFF)))
            }
        }
        return blocks
    }
}

/// A private block: the creator element (gggg,00bb) reserves data elements (gggg,bbxx).
struct PrivateBlock: Hashable {
    let group: UInt16
    let block: UInt8

    init(group: UInt16, block: UInt8) {
        self.group = group
        self.block = block
    }

    /// The block a private creator or data element belongs to; nil for group length (gggg,0000)
    /// and the reserved (gggg,0001)…(gggg,000F).
    init?(_ tag: Tag) {
        if tag.isPrivateCreator {
            self.init(group: tag.group, block: UInt8(tag.element & 0xFF))
        } else if tag.element >= 0x1000 {
            self.init(group: tag.group, block: UInt8(tag.element >> 8))
        } else {
            return nil
        }
    }
}

/// Fast lookup into the generated table.
enum DeidentificationProfile {
    private static let exact: [UInt32: ProfileEntry] = {
        var table: [UInt32: ProfileEntry] = [:]
        for entry in PS315Table.entries {
            if case let .tag(group, element) = entry.pattern { table[UInt32(group) << 16 | UInt32(element)] = entry }
        }
        return table
    }()

    private static let patterns = PS315Table.entries.filter {
        if case .tag = $0.pattern { return false }
        return true
    }

    static func entry(for tag: Tag) -> ProfileEntry? {
        exact[UInt32(tag.group) << 16 | UInt32(tag.element)]
            ?? patterns.first { $0.pattern.matches(group: tag.group, element: tag.element) }
    }
}

extension DataElement {
    /// The same attribute with an empty value (an empty sequence for SQ).
    func emptied() -> DataElement {
        var copy = self
        if case .sequence = value { copy.value = .sequence([]) } else { copy.value = .bytes([]) }
        return copy
    }

    /// The same attribute with a harmless value valid for its VR.
    func withDummyValue() -> DataElement {
        var copy = self
        copy.value = .bytes(DummyValue.bytes(for: vr))
        return copy
    }

    /// Each backslash-separated UID value passed through `transform`.
    func mapped(_ transform: (String) -> String) -> DataElement {
        guard let text = string, !text.isEmpty else { return self }
        let values = text.split(separator: "\\", omittingEmptySubsequences: false).map { transform(String($0)) }
        return DataElement(tag: tag, vr: vr, string: values.joined(separator: "\\"))
    }
}

enum DummyValue {
    static func bytes(for vr: VR) -> [UInt8] {
        switch vr.rawValue {
        case "PN": padded("ANONYMIZED")
        case "DA": padded("19000101")
        case "TM": padded("000000")
        case "DT": padded("19000101000000")
        case "AS": padded("000Y")
        case "DS", "IS": padded("0")
        case "UI": padded("2.25.0", pad: 0)
        case "US", "SS": [0, 0]
        case "UL", "SL", "FL", "AT": [0, 0, 0, 0]
        case "FD": [UInt8](repeating: 0, count: 8)
        case "OB", "OW", "OF", "OD", "OL", "UN": []
        default: padded("ANONYMIZED")
        }
    }

    /// DICOM values have even length; text pads with a space, UIDs with NUL.
    private static func padded(_ text: String, pad: UInt8 = 0x20) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(pad) }
        return bytes
    }
}
