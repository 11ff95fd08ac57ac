import VeilCore
import VeilDICOM

/// A PALETTE COLOR image's lookup tables as far as the QR needs them: how bright each index renders.
/// Normal and segmented tables (PS3.3 C.7.6.3.1.5–6), 8- or 16-bit entries. The tables themselves are
/// never changed; the QR is drawn in the indices that render darkest and brightest.
struct Palette: Equatable {
    /// The first index the table maps; lower indices render as its first entry, higher ones as its last.
    var firstMapped: Int
    /// Luminance (0…1) of each entry.
    var luminance: [Double]

    init?(_ dataSet: DataSet) {
        var channels: [[Double]] = []
        var first = 0
        for colour in 0..<3 {
            let descriptor = dataSet[Tag(0x0028, UInt16(0x1101 + colour))]?.uint16s ?? []
            guard descriptor.count == 3 else { return nil }
            let count = descriptor[0] == 0 ? 65536 : Int(descriptor[0])
            let bits = Int(descriptor[2]) == 8 ? 8 : 16
            first = Int(descriptor[1])
            var words = dataSet[Tag(0x0028, UInt16(0x1201 + colour))]?.uint16s ?? []
            if words.isEmpty, let segmented = dataSet[Tag(0x0028, UInt16(0x1221 + colour))]?.uint16s {
                words = Self.expand(segmented: segmented)
            }
            if bits == 8, words.count * 2 == count, let bytes = dataSet[Tag(0x0028, UInt16(0x1201 + colour))]?.bytes {
                words = bytes.prefix(count).map(UInt16.init)   // 8-bit entries packed two to a word
            }
            guard !words.isEmpty else { return nil }
            let peak = Double((1 << bits) - 1)
            channels.append(words.prefix(count).map { min(Double($0) / peak, 1) })
        }
        let entries = channels.map(\.count).min() ?? 0
        guard entries > 0 else { return nil }
        firstMapped = first
        luminance = (0..<entries).map { 0.299 * channels[0][$0] + 0.587 * channels[1][$0] + 0.114 * channels[2][$0] }
    }

    /// Segmented table data → entries: discrete (0), linear (1) and indirect (2) segments.
    static func expand(segmented words: [UInt16]) -> [UInt16] {
        var out: [UInt16] = []
        func run(_ start: Int, _ end: Int, depth: Int) {
            var index = start
            while index + 1 < end, index + 1 < words.count {
                let (opcode, length) = (words[index], Int(words[index + 1]))
                switch opcode {
                case 0:
                    let values = words[min(index + 2, words.count)..<min(index + 2 + length, words.count)]
                    out += values
                    index += 2 + length
                case 1 where index + 2 < words.count:
                    let from = Double(out.last ?? 0), to = Double(words[index + 2])
                    for step in 1...max(length, 1) where length > 0 {
                        out.append(UInt16((from + (to - from) * Double(step) / Double(length)).rounded()))
                    }
                    index += 3
                case 2 where index + 3 < words.count && depth == 0:
                    let offset = Int(words[index + 2]) | Int(words[index + 3]) << 16
                    // `length` segments copied from the segment at word `offset`.
                    var copied = 0, at = offset
                    while copied < length, at + 1 < words.count {
                        let segmentLength = words[at] == 0 ? 2 + Int(words[at + 1]) : words[at] == 1 ? 3 : 4
                        run(at, at + segmentLength, depth: depth + 1)
                        at += segmentLength
                        copied += 1
                    }
                    index += 4
                default:
                    return
                }
            }
        }
        run(0, words.count, depth: 0)
        return out
    }

    /// The stored values (indices) that render darkest and brightest, clamped to `format`.
    func extremes(in format: SampleFormat) -> (dark: Int32, light: Int32) {
        let darkest = luminance.indices.min { luminance[$0] < luminance[$1] } ?? 0
        let brightest = luminance.indices.max { luminance[$0] < luminance[$1] } ?? 0
        func value(_ entry: Int) -> Int32 {
            Int32(clamping: firstMapped + entry).clamped(to: format.minValue...format.maxValue)
        }
        return (value(darkest), value(brightest))
    }

    /// A window whose two ends are the darkest and brightest indices, so the QR drawn in them renders
    /// black on white and the QR search finds it (nil when the palette has a single brightness).
    func qrWindow(format: SampleFormat) -> DisplayWindow? {
        let (dark, light) = extremes(in: format)
        guard dark != light else { return nil }
        return DisplayWindow(low: min(dark, light), high: max(dark, light), inverted: dark > light)
    }
}
