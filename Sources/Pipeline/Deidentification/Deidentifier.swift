import VeilDICOM

/// Applies the PS3.15 Application Level Confidentiality Profile to a dataset, at every nesting
/// level. (The originals for the Encrypted Attributes Sequence are found afterwards by comparing
/// the final header with the original, so that nothing changed later can be missed.)
///
/// The table's conditional actions (Z/D, X/Z, X/D, X/Z/D) are resolved by the attribute's Type at
/// its place in the instance's IOD (`IODAttributeTypes`, functional groups and other sequences
/// included): Type 1 → a dummy value, Type 2 → empty (a dummy where Z is not offered), Type 3 or
/// not in the IOD there → removed (empty where X is not offered). X/Z/U* becomes a consistent UID
/// replacement at every Type: U is among its choices, it is valid for Types 1, 2 and 3 alike, and it
/// keeps references between the protected instances intact. For a SOP Class the table does not know,
/// the choice valid for every Type it could be: empty when Z is allowed, removal for X/D.
struct Deidentifier: Sendable {
    var options: Set<DeidentificationOption>
    /// Private creators whose blocks are kept (everything else private is removed).
    var keptPrivateCreators: Set<String>
    var uids: UIDMapper
    var overrides = Overrides()

    /// What stays the same for every element of one instance.
    private struct Context {
        var iod: IODAttributeTypes?
        var dateShift: DateShift?
    }

    func apply(to original: DataSet) -> DataSet {
        let context = Context(
            iod: original.string(.sopClassUID).flatMap(IODAttributeTypes.forSOPClass),
            dateShift: options.contains(.retainLongitudinalModifiedDates) && !options.contains(.retainLongitudinalFullDates)
                ? dateShift(for: original) : nil)
        return apply(to: original, path: [], context)
    }

    /// The keyed offset the modified-dates option gives the patient of `dataSet`.
    func dateShift(for dataSet: DataSet) -> DateShift {
        DateShift(patientOf: dataSet, keyedHash: uids.keyedHash)
    }

    /// Which action the profile and the chosen options give an attribute.
    func action(for tag: Tag) -> ProfileAction? {
        guard let entry = DeidentificationProfile.entry(for: tag) else { return nil }
        let optionActions = options.compactMap { entry.options[$0] }
        if optionActions.contains(.keep) { return .keep }
        if optionActions.contains(.clean) { return .clean }
        return entry.basic
    }

    private func apply(to dataSet: DataSet, path: AttributePath, _ context: Context) -> DataSet {
        let creators = privateCreators(in: dataSet)
        var result = DataSet()
        for element in dataSet.elements {
            let outcome = element.tag.isPrivate
                ? transformPrivate(element, creators: creators)
                : transform(element, path: path + [element.tag.code], context)
            if let outcome { result.set(outcome) }
        }
        return result
    }

    private func transform(_ element: DataElement, path: AttributePath, _ context: Context) -> DataElement? {
        if let override = overrides[element.tag] { return overridden(element, by: override) }
        let action = action(for: element.tag)
        // Modified dates: dates move by the patient's offset; times of day stay (whole-day shift).
        if let shift = context.dateShift, action == .clean || action == nil {
            switch element.vr {
            case .DA, .DT:
                if let shifted = shift.shifted(element) { return shifted }
                guard let entry = DeidentificationProfile.entry(for: element.tag) else { return nil }
                return perform(resolved(entry.basic, at: path, context), on: element, path: path, context)
            case .TM where action == .clean:
                return element
            default:
                break
            }
        }
        return perform(resolved(action, at: path, context), on: element, path: path, context)
    }

    private func perform(_ action: ProfileAction?, on element: DataElement, path: AttributePath, _ context: Context) -> DataElement? {
        switch action {
        case nil, .keep?:
            return recursed(element, path: path, context)
        case .remove?:
            return nil
        case .zero?:
            return element.emptied()
        case .dummy?, .clean?:
            if case .sequence = element.value { return recursed(element, path: path, context) }
            return element.withDummyValue()
        case .uid?:
            if case .sequence = element.value { return recursed(element, path: path, context) }
            return element.mapped { uids.map($0) }
        default:
            preconditionFailure("resolved() returns single actions only")
        }
    }

    /// Turns the table's conditional actions into one action, as the type comment explains.
    private func resolved(_ action: ProfileAction?, at path: AttributePath, _ context: Context) -> ProfileAction? {
        guard let action else { return nil }
        if action == .removeOrZeroOrUID { return .uid }
        let choices: [ProfileAction]
        switch action {
        case .zeroOrDummy: choices = [.zero, .dummy]
        case .removeOrZero: choices = [.remove, .zero]
        case .removeOrDummy: choices = [.remove, .dummy]
        case .removeOrZeroOrDummy: choices = [.remove, .zero, .dummy]
        default: return action
        }
        guard let iod = context.iod else {
            return choices.contains(.zero) ? .zero : .remove
        }
        switch iod.type(at: path) {
        case .required: return .dummy
        case .requiredEmpty: return choices.contains(.zero) ? .zero : .dummy
        case .optional: return choices.contains(.remove) ? .remove : .zero
        }
    }

    /// A sequence with the profile applied inside each item (K on a sequence means "cleaned").
    private func recursed(_ element: DataElement, path: AttributePath, _ context: Context) -> DataElement {
        guard case let .sequence(items) = element.value else { return element }
        var copy = element
        copy.value = .sequence(items.map { apply(to: $0, path: path, context) })
        return copy
    }

    // MARK: Overrides and private attributes

    private func overridden(_ element: DataElement, by override: AttributeOverride) -> DataElement? {
        switch override {
        case .keep: return element
        case .remove: return nil
        case .empty: return element.emptied()
        case let .replace(value):
            if case .sequence = element.value { return element.emptied() }
            return DataElement(tag: element.tag, vr: element.vr, string: value)
        case .hash:
            if case .sequence = element.value { return element.emptied() }
            return hashed(element)
        }
    }

    /// The keyed hash of a value, in a form its VR accepts: UIDs as the profile maps them, text as
    /// 16 upper-case hex digits (fits every text VR, SH and CS included), other VRs emptied.
    private func hashed(_ element: DataElement) -> DataElement {
        if element.vr == .UI { return element.mapped { uids.map($0) } }
        guard Self.hashableVRs.contains(element.vr), let text = element.string, !text.isEmpty else { return element.emptied() }
        let digest = uids.keyedHash(Array(("dcmveil override hash\0" + text).utf8))
        let hex = digest.prefix(8).map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
        return DataElement(tag: element.tag, vr: element.vr, string: hex)
    }

    static let hashableVRs: Set<VR> = [.AE, .CS, .LO, .LT, .PN, .SH, .ST, .UC, .UT]

    private func transformPrivate(_ element: DataElement, creators: [PrivateBlock: String]) -> DataElement? {
        guard let block = PrivateBlock(element.tag), let creator = creators[block] else { return nil }
        if element.tag.isPrivateCreator {
            let kept = keptPrivateCreators.contains(creator) || overrides.keepsElements(of: creator, group: block.group)
            return kept ? element : nil
        }
        if let override = overrides[block.group, creator, UInt8(element.tag.element & 0xFF)] {
            return overridden(element, by: override)
        }
        return keptPrivateCreators.contains(creator) ? element : nil
    }

    /// The creator of each private block of `dataSet`.
    private func privateCreators(in dataSet: DataSet) -> [PrivateBlock: String] {
        var creators: [PrivateBlock: String] = [:]
        for element in dataSet.elements where element.tag.isPrivateCreator {
            if let creator = element.string {
                creators[PrivateBlock(group: element.tag.group, block: UInt8(element.tag.element & 0xFF))] = creator
            }
        }
        return creators
    }
}

extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
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
