import Foundation

/// A line chart in the style of the paper's Figs. 9–11 (one measure against the threshold T,
/// markers joined by lines), written as inline SVG so the report needs nothing but a browser.
struct SVGPlot {
    var title: String
    var xLabel: String
    var yLabel: String
    /// nil y: no value at that x (drawn as a cross on the axis, the line broken there).
    var points: [(x: Double, y: Double?)]
    /// The y axis spans at least this much, so that noise in a flat series does not fill the plot.
    var minimumSpan: Double
    var color = "#1f5fa8"

    private let width = 440.0, height = 290.0
    private let left = 64.0, right = 18.0, top = 34.0, bottom = 50.0

    init(title: String, xLabel: String, yLabel: String, points: [(x: Double, y: Double?)], minimumSpan: Double) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.minimumSpan = minimumSpan
    }

    var svg: String {
        let xs = points.map(\.x), ys = points.compactMap(\.y)
        let xAxis = Axis(values: xs, ticks: xs)
        let yAxis = Axis(values: ys, minimumSpan: minimumSpan)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - yAxis.fraction(y)) * plotHeight }

        var out = [#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(f(width)) \#(f(height))" width="\#(f(width))" height="\#(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="\#(title.xmlEscaped)">"#]
        out.append(#"<rect x="0" y="0" width="\#(f(width))" height="\#(f(height))" fill="white"/>"#)
        out.append(#"<text x="\#(f(left + plotWidth / 2))" y="20" text-anchor="middle" font-size="14" font-weight="bold">\#(title.xmlEscaped)</text>"#)
        for tick in yAxis.ticks {
            out.append(#"<line x1="\#(f(left))" x2="\#(f(left + plotWidth))" y1="\#(f(py(tick)))" y2="\#(f(py(tick)))" stroke="rgb(227,227,227)"/>"#)
            out.append(#"<text x="\#(f(left - 6))" y="\#(f(py(tick) + 4))" text-anchor="end">\#(yAxis.label(tick))</text>"#)
        }
        for tick in xAxis.ticks {
            out.append(#"<line x1="\#(f(px(tick)))" x2="\#(f(px(tick)))" y1="\#(f(top + plotHeight))" y2="\#(f(top + plotHeight + 5))" stroke="black"/>"#)
            out.append(#"<text x="\#(f(px(tick)))" y="\#(f(top + plotHeight + 18))" text-anchor="middle">\#(xAxis.label(tick))</text>"#)
        }
        out.append(#"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(plotWidth))" height="\#(f(plotHeight))" fill="none" stroke="black"/>"#)
        out.append(#"<text x="\#(f(left + plotWidth / 2))" y="\#(f(height - 10))" text-anchor="middle">\#(xLabel.xmlEscaped)</text>"#)
        out.append(#"<text transform="translate(16 \#(f(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(yLabel.xmlEscaped)</text>"#)

        for run in runs() where run.count > 1 {
            let path = run.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out.append(#"<polyline points="\#(path)" fill="none" stroke="\#(color)" stroke-width="2"/>"#)
        }
        for point in points {
            if let y = point.y {
                out.append(#"<circle cx="\#(f(px(point.x)))" cy="\#(f(py(y)))" r="3.5" fill="white" stroke="\#(color)" stroke-width="2"><title>T = \#(xAxis.label(point.x)): \#(yAxis.preciseLabel(y))</title></circle>"#)
            } else {
                let (cx, cy) = (px(point.x), top + plotHeight - 8)
                out.append(#"<path d="M\#(f(cx - 4)),\#(f(cy - 4)) l8,8 m0,-8 l-8,8" stroke="rgb(192,57,43)" stroke-width="2"><title>T = \#(xAxis.label(point.x)): did not fit</title></path>"#)
            }
        }
        if ys.isEmpty {
            out.append(#"<text x="\#(f(left + plotWidth / 2))" y="\#(f(top + plotHeight / 2))" text-anchor="middle" fill="rgb(192,57,43)">the payload fits at no threshold</text>"#)
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// Consecutive points with values: the line is broken where a value is missing.
    private func runs() -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if let y = point.y { runs[runs.count - 1].append((point.x, y)) } else { runs.append([]) }
        }
        return runs
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// A linear axis over "nice" round ticks that cover the values, at least `minimumSpan` wide
/// around their middle (a flat series gets a readable axis, not a division by zero).
private struct Axis {
    var low: Double
    var high: Double
    var ticks: [Double]
    var step: Double

    init(values: [Double], ticks given: [Double]? = nil, minimumSpan: Double = 1) {
        var low = values.min() ?? 0, high = values.max() ?? 1
        if high - low < minimumSpan {
            let middle = (low + high) / 2
            (low, high) = (middle - minimumSpan / 2, middle + minimumSpan / 2)
        }
        if let given, let first = given.first, let last = given.last {
            step = given.count > 1 ? given[1] - given[0] : 1
            (self.low, self.high, ticks) = (first, last, given)
            return
        }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        self.low = floor(low / step) * step
        self.high = ceil(high / step) * step
        ticks = Array(stride(from: self.low, through: self.high + step / 2, by: step))
    }

    func fraction(_ value: Double) -> Double { high == low ? 0.5 : (value - low) / (high - low) }

    /// Just enough decimals to tell the ticks apart: the fewest that write `step` exactly.
    private var decimals: Int {
        (0...6).first { d in
            let scaled = step * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6
        } ?? 6
    }

    func label(_ value: Double) -> String { String(format: "%.\(decimals)f", value) }
    func preciseLabel(_ value: Double) -> String { String(format: "%.\(decimals + 2)f", value) }
}

extension String {
    /// Safe as XML/HTML text and attribute values.
    var xmlEscaped: String {
        var out = ""
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
