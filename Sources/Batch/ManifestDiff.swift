/// What changed between two manifests, record by record, for auditors: inputs added, inputs
/// removed, and for inputs in both, which fields changed and how.
package struct ManifestDiff: Sendable {
    package struct Change: Sendable {
        package var old: ManifestRecord
        package var new: ManifestRecord
        /// Each changed field with its old and new value, as JSON text.
        package var fields: [(key: String, old: String, new: String)]
    }

    package var added: [ManifestRecord] = []
    package var removed: [ManifestRecord] = []
    package var changed: [Change] = []

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    package init(old: [ManifestRecord], new: [ManifestRecord]) {
        let before = Dictionary(old.map { ($0.input, $0) }, uniquingKeysWith: { _, last in last })
        let after = Dictionary(new.map { ($0.input, $0) }, uniquingKeysWith: { _, last in last })
        let inputs = Set(before.keys).union(after.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for input in inputs {
            switch (before[input], after[input]) {
            case let (old?, new?):
                let fields = zip(old.fields(for: old.operation), new.fields(for: new.operation))
                    .filter { $0.0.key == $0.1.key && $0.0.json != $0.1.json }
                    .map { (key: $0.0.key, old: $0.0.json, new: $0.1.json) }
                if !fields.isEmpty { changed.append(Change(old: old, new: new, fields: fields)) }
            case let (old?, nil): removed.append(old)
            case let (nil, new?): added.append(new)
            case (nil, nil): break
            }
        }
    }

    /// One line per difference, in input order (`+` added, `-` removed, `~` changed), then a count.
    package var text: String {
        var lines: [(String, String)] = []
        lines += added.map { ($0.input, "+ \($0.input) (\(Self.outcome($0)))") }
        lines += removed.map { ($0.input, "- \($0.input) (\(Self.outcome($0)))") }
        lines += changed.map { change in
            let details = change.fields.map { "\($0.key): \($0.old) -> \($0.new)" }
            return (change.new.input, "~ \(change.new.input): " + details.joined(separator: "; "))
        }
        let sorted = lines.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)
        return (sorted + ["\(added.count) added, \(removed.count) removed, \(changed.count) changed"]).joined(separator: "\n")
    }

    private static func outcome(_ record: ManifestRecord) -> String {
        record.status.rawValue + (record.reason.map { ": \($0)" } ?? "")
    }
}
