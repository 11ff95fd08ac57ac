/// Counts of sample values in at most 256 equal bins over the values' range, drawn as an SVG bar chart:
/// the paper's Figures 4 and 9 (original, encrypted and decrypted images).
struct Histogram {
    let title: String
    let counts: [Int]
    let lowest: Int64
    let highest: Int64

    init(_ title: String, values: [Int32]) {
        self.title = title
        lowest = Int64(values.min() ?? 0)
        highest = Int64(values.max() ?? 0)
        let span = highest - lowest + 1
        let binCount = Int(min(span, 256))
        var counts = [Int](repeating: 0, count: binCount)
        for value in values { counts[Int((Int64(value) - lowest) * Int64(binCount) / span)] += 1 }
        self.counts = counts
    }

    /// A self-contained SVG, bars scaled to the tallest bin.
    var svg: String {
        let (width, height, margin) = (512.0, 160.0, 18.0)
        let tallest = Double(counts.max() ?? 1)
        let barWidth = width / Double(counts.count)
        let bars = counts.enumerated().map { index, count in
            let barHeight = Double(count) / tallest * height
            return "<rect x=\"\(format(Double(index) * barWidth))\" y=\"\(format(height - barHeight))\" "
                + "width=\"\(format(max(barWidth - 0.2, 0.5)))\" height=\"\(format(barHeight))\"/>"
        }.joined()
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height + margin))" \
        role="img" aria-label="\(title)"><g fill="#345">\(bars)</g>\
        <text x="0" y="\(Int(height + 14))" font-size="11">\(lowest)</text>\
        <text x="\(Int(width))" y="\(Int(height + 14))" font-size="11" text-anchor="end">\(highest)</text></svg>
        """
    }

    private func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
