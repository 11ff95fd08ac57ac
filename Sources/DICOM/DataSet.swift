/// A dataset (or a sequence item): elements kept sorted by tag, each tag at most once.
package struct DataSet: Sendable, Equatable {
    package private(set) var elements: [DataElement]

    /// The elements, sorted; of repeated tags the last one wins.
    package init(_ elements: [DataElement] = []) {
        self.elements = []
        for element in elements { set(element) }
    }

    package var isEmpty: Bool { elements.isEmpty }

    package subscript(tag: Tag) -> DataElement? {
        let index = position(of: tag)
        return index < elements.count && elements[index].tag == tag ? elements[index] : nil
    }

    /// The text value of `tag`, trailing padding removed.
    package func string(_ tag: Tag) -> String? { self[tag]?.string }

    /// The first number of a DS/IS element, or the first value of a US element.
    package func number(_ tag: Tag) -> Double? {
        guard let element = self[tag] else { return nil }
        return element.vr == .US ? element.uint16s.first.map(Double.init) : element.numbers.first
    }

    /// Adds `element`, replacing any element with the same tag.
    package mutating func set(_ element: DataElement) {
        let index = position(of: element.tag)
        if index < elements.count && elements[index].tag == element.tag {
            elements[index] = element
        } else {
            elements.insert(element, at: index)
        }
    }

    package mutating func set(_ tag: Tag, _ vr: VR, _ string: String) {
        set(DataElement(tag: tag, vr: vr, string: string))
    }

    @discardableResult
    package mutating func remove(_ tag: Tag) -> DataElement? {
        let index = position(of: tag)
        guard index < elements.count && elements[index].tag == tag else { return nil }
        return elements.remove(at: index)
    }

    /// Visits every element, depth first, sequence items included. `path` lists the tags of the
    /// sequences enclosing the element (empty at the top level).
    package func walk(_ visit: (_ path: [Tag], _ element: DataElement) throws -> Void) rethrows {
        try walk(path: [], visit)
    }

    private func walk(path: [Tag], _ visit: ([Tag], DataElement) throws -> Void) rethrows {
        for element in elements {
            try visit(path, element)
            for item in element.items ?? [] { try item.walk(path: path + [element.tag], visit) }
        }
    }

    /// Rewrites the dataset at every nesting level: `change` sees each element with the tags of its
    /// enclosing sequences and returns its replacement, or nil to remove it. The items of a sequence
    /// that is kept are then rewritten the same way, so a removed sequence is never descended into.
    package mutating func transform(
        _ change: (_ path: [Tag], _ element: DataElement) throws -> DataElement?
    ) rethrows {
        try transform(path: [], change)
    }

    private mutating func transform(path: [Tag], _ change: ([Tag], DataElement) throws -> DataElement?) rethrows {
        var result = DataSet()
        for element in elements {
            guard var changed = try change(path, element) else { continue }
            if var items = changed.items {
                for index in items.indices { try items[index].transform(path: path + [changed.tag], change) }
                changed.items = items
            }
            result.set(changed)
        }
        self = result
    }

    /// Index of `tag`, or where it would be inserted.
    private func position(of tag: Tag) -> Int {
        var low = 0, high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if elements[middle].tag < tag { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
