/// The pixels prediction-error expansion visits, split into the two interleaved layers of the
/// rhombus predictor. Cross pixels ((x + y) even) have only dot neighbours and vice versa, so
/// every pixel of one layer is predicted from the other layer alone.
///
/// Each layer is a list of runs of every other pixel along a row, in scan order: a texture row is
/// one run where a list of indices held a word per pixel (13 MB on a 3.6 MP CR) that every pass read.
struct ExpansionLayers {
    /// Pixels `start`, `start + 2`, … (`count` of them), all on one row.
    struct Run: Equatable {
        var start: Int32
        var count: Int32
    }

    private(set) var crossRuns: [Run] = []
    private(set) var dotRuns: [Run] = []
    private(set) var crossCount = 0
    private(set) var dotCount = 0

    /// Interior pixels of texture blocks whose four neighbours are not in a side-information block,
    /// in raster order. Key-region pixels are never neighbours: the blocks around the key region are
    /// excluded from texture. So nothing that changes after embedding (LSBs of S, the QR) is ever a
    /// predictor input.
    init(layout: BlockLayout, sideBlockCount: Int, textureMap: [UInt8]) {
        enum Role: UInt8 { case none, side, texture }
        var roles = [Role](repeating: .none, count: layout.columns * layout.rows)
        for block in layout.usable[..<sideBlockCount] { roles[block] = .side }
        for (bit, block) in zip(textureMap, layout.usable[sideBlockCount...]) where bit == 1 { roles[block] = .texture }

        let (width, columns, rows, side) = (layout.width, layout.columns, layout.rows, BlockLayout.side)
        func isSide(_ bx: Int, _ by: Int) -> Bool { bx >= 0 && bx < columns && by >= 0 && by < rows && roles[by * columns + bx] == .side }
        // Texture blocks with the x span of their pixels on a middle row, per block row: a block's
        // first (last) column is dropped when its left (right) neighbour is in S, and the frame's
        // border columns are never used.
        let lastRow = max(1, min(layout.height - 1, rows * side))
        var spans: [(bx: Int, start: Int, end: Int)] = []
        spans.reserveCapacity(columns)
        // The spans of a block row joined where they touch: what a row that is neither a block's first
        // nor its last covers (those two check the blocks above and below span by span).
        var joined: [(start: Int, end: Int)] = []
        joined.reserveCapacity(columns)
        /// Appends every other pixel of [first, end) on a row, extending the last run when it continues it.
        func append(_ first: Int, _ end: Int, to runs: inout [Run], count: inout Int) {
            guard first < end else { return }
            let n = (end - first + 1) / 2
            count += n
            if let last = runs.last, Int(last.start) + 2 * Int(last.count) == first {
                runs[runs.count - 1].count += Int32(n)
            } else {
                runs.append(Run(start: Int32(truncatingIfNeeded: first), count: Int32(n)))
            }
        }
        for by in 0..<rows where by * side + side > 1 {
            spans.removeAll(keepingCapacity: true)
            for bx in 0..<columns where roles[by * columns + bx] == .texture {
                var start = max(bx * side, 1), end = min(bx * side + side, width - 1)
                if isSide(bx - 1, by) { start = max(start, bx * side + 1) }
                if isSide(bx + 1, by) { end = min(end, bx * side + side - 1) }
                if start < end { spans.append((bx, start, end)) }
            }
            if spans.isEmpty { continue }
            joined.removeAll(keepingCapacity: true)
            for span in spans {
                if let last = joined.last, last.end == span.start { joined[joined.count - 1].end = span.end } else { joined.append((span.start, span.end)) }
            }
            for y in max(by * side, 1)..<min(by * side + side, lastRow) {
                let top = y % side == 0, bottom = y % side == side - 1
                let row = y * width
                // Cross pixels have x + y even, dot pixels odd: every other pixel of a span.
                func add(_ start: Int, _ end: Int) {
                    append(row + start + (start + y) & 1, row + end, to: &crossRuns, count: &crossCount)
                    append(row + start + 1 - (start + y) & 1, row + end, to: &dotRuns, count: &dotCount)
                }
                if top || bottom {
                    for span in spans where !isSide(span.bx, top ? by - 1 : by + 1) { add(span.start, span.end) }
                } else {
                    for segment in joined { add(segment.start, segment.end) }
                }
            }
        }
    }

    /// Layer 0 is cross, layer 1 is dot.
    func runs(_ layer: Int) -> [Run] { layer == 0 ? crossRuns : dotRuns }
    func count(_ layer: Int) -> Int { layer == 0 ? crossCount : dotCount }
    var pixelCount: Int { crossCount + dotCount }

    /// The layers' pixel indices in scan order (for tests and tools; the expansion walks the runs).
    var cross: [Int32] { Self.indices(crossRuns) }
    var dot: [Int32] { Self.indices(dotRuns) }
    private static func indices(_ runs: [Run]) -> [Int32] {
        runs.flatMap { run in (0..<run.count).map { run.start + 2 * $0 } }
    }
}

/// What the decoder needs to undo the embedding, besides the layers and the parameters.
struct ExpansionTrace: Equatable {
    /// Per segment (pass × 2 + layer): how many pixels of the layer's scan were visited.
    var scanned: [Int]
    /// Per segment: one bit per visited pixel whose marked value lies in the overflow zone
    /// (1 = it was processed and moved there, 0 = it was there and left alone).
    var locationMaps: [[UInt8]]
}

/// Reversible embedding by prediction-error expansion with the rhombus predictor u = ⌊(N+S+E+W)/4⌋.
/// For d = v − u: d ∈ [p, q] → v′ = u + 2d + b carries bit b; d > q → v′ = v + q + 1; d < p → v′ = v + p.
/// Values in the overflow zone Z = [min, min−p−1] ∪ [max−q, max] are left alone, so v′ always stays
/// in [min, max]; the location map tells the decoder which values it finds in Z were processed.
struct PredictionErrorExpansion {
    let width: Int
    let range: ExpansionRange
    let passes: Int
    /// Values a pixel may have to be processed: [min − p, max − q − 1]. Z is everything else.
    let lowestSafe: Int32
    let highestSafe: Int32

    init(width: Int, format: SampleFormat, range: ExpansionRange, passes: Int) {
        self.width = width
        self.range = range
        self.passes = passes
        lowestSafe = format.minValue - Int32(range.p)
        highestSafe = format.maxValue - Int32(range.q) - 1
    }

    /// Embeds the first `bitCount` bits of `payload` (MSB first), pass by pass, cross then dot,
    /// stopping right after the last bit. Returns the number of bits embedded (less than `bitCount`
    /// when the capacity runs out) and the trace.
    func embed(into samples: inout [Int32], layers: ExpansionLayers, payload: [UInt8], bitCount: Int) -> (embedded: Int, trace: ExpansionTrace) {
        let (embedded, trace, _) = embedCounting(into: &samples, layers: layers, payload: payload, bitCount: bitCount)
        return (embedded, trace)
    }

    /// `embed`, also returning the bits each segment (pass × 2 + layer) carried.
    func embedCounting(into samples: inout [Int32], layers: ExpansionLayers, payload: [UInt8], bitCount: Int) -> (embedded: Int, trace: ExpansionTrace, segmentBits: [Int]) {
        var trace = ExpansionTrace(scanned: [], locationMaps: [])
        var segmentBits: [Int] = []
        var next = 0
        samples.withUnsafeMutableBufferPointer { px in
            payload.withUnsafeBufferPointer { payload in
                for _ in 0..<passes {
                    for layer in 0..<2 {
                        var map = [UInt8]()
                        let segmentStart = next
                        let visited = layers.runs(layer).withUnsafeBufferPointer { runs in
                            embedSegment(px.baseAddress!, runs: runs, capacity: layers.count(layer), payload: payload,
                                         next: &next, bitCount: bitCount, map: &map)
                        }
                        segmentBits.append(next - segmentStart)
                        trace.scanned.append(visited)
                        trace.locationMaps.append(map)
                    }
                }
            }
        }
        return (next, trace, segmentBits)
    }

    /// One segment of `embed`: visits the layer's runs from the start until they end or the bits run
    /// out, and returns how many pixels it visited. Kept apart, with everything in locals, so that the
    /// loop runs in registers (as a closure over the caller's variables it spilled them on every
    /// pixel); the location map goes to a buffer of one entry per pixel of the layer (`capacity`).
    private func embedSegment(_ px: UnsafeMutablePointer<Int32>, runs: UnsafeBufferPointer<ExpansionLayers.Run>, capacity: Int,
                              payload: UnsafeBufferPointer<UInt8>, next: inout Int, bitCount: Int, map: inout [UInt8]) -> Int {
        let (p, q) = (Int32(range.p), Int32(range.q))
        let (lowestSafe, width) = (lowestSafe, width)
        // v is in Z when v − lowestSafe, unsigned, exceeds safeSpan (or when Z is everything).
        let (everythingInZ, safeSpan) = (highestSafe < lowestSafe, UInt32(bitPattern: highestSafe &- lowestSafe))
        let span = UInt32(bitPattern: q &- p)
        var bit = next, visited = 0, mapCount = 0
        map = [UInt8](unsafeUninitializedCapacity: capacity) { entries, initialized in
            runs: for run in runs {
                var i = Int(run.start)
                let end = i &+ 2 &* Int(run.count)
                while i < end {
                    guard bit < bitCount else { break runs }
                    let v = px[i]
                    visited &+= 1
                    // Outside [lowestSafe, highestSafe]: in the overflow zone, left alone.
                    if everythingInZ || UInt32(bitPattern: v &- lowestSafe) > safeSpan {
                        entries[mapCount] = 0
                        mapCount &+= 1
                        i &+= 2
                        continue
                    }
                    let u = (px[i &- 1] &+ px[i &+ 1] &+ px[i &- width] &+ px[i &+ width]) >> 2
                    let d = v &- u
                    // Branch-free: which case a pixel falls in is close to random on noisy data.
                    let b = Int32(truncatingIfNeeded: payload[bit &>> 3] &>> UInt8(truncatingIfNeeded: 7 &- bit & 7)) & 1
                    let carries = UInt32(bitPattern: d &- p) <= span
                    let shifted = d > q ? v &+ q &+ 1 : v &+ p
                    let marked = carries ? v &+ d &+ b : shifted
                    bit &+= carries ? 1 : 0
                    px[i] = marked
                    if everythingInZ || UInt32(bitPattern: marked &- lowestSafe) > safeSpan {
                        entries[mapCount] = 1
                        mapCount &+= 1
                    }
                    i &+= 2
                }
            }
            initialized = mapCount
        }
        if map.capacity > 2 * mapCount + 64 { map = Array(map[...]) }  // not a layer-sized buffer per segment
        next = bit
        return visited
    }

    /// Undoes `embed`: passes last to first, in each the dot layer then the cross layer (each
    /// layer's predictors are the other layer's pixels, already in the state they had when it was
    /// embedded). Returns the extracted bits packed MSB first.
    func extract(from samples: inout [Int32], layers: ExpansionLayers, trace: ExpansionTrace) throws(EngineError) -> (bytes: [UInt8], bitCount: Int) {
        guard trace.scanned.count == passes * 2, trace.locationMaps.count == passes * 2 else {
            throw .corruptSideInformation("wrong number of embedding segments")
        }
        // Segments are undone last to first but their bits are read first to last: each segment's
        // bits go to its own slice of one buffer, sized by its scan length (at most one bit per pixel).
        let starts = trace.scanned.reduce(into: [0]) { $0.append($0.last! + $1) }
        var bits = [UInt8](repeating: 0, count: starts.last!)
        var bitCounts = [Int](repeating: 0, count: passes * 2)
        for segment in (0..<passes * 2).reversed() {
            let visited = trace.scanned[segment]
            guard visited <= layers.count(segment % 2) else { throw .corruptSideInformation("scan longer than its layer") }
            let map = trace.locationMaps[segment]
            let (count, mapUsed) = samples.withUnsafeMutableBufferPointer { px in
                layers.runs(segment % 2).withUnsafeBufferPointer { runs in
                    map.withUnsafeBufferPointer { map in
                        bits.withUnsafeMutableBufferPointer { bits in
                            extractSegment(px.baseAddress!, runs: runs, visited: visited, map: map,
                                           bits: bits.baseAddress! + starts[segment])
                        }
                    }
                }
            }
            guard mapUsed == map.count else {
                throw .corruptSideInformation("location map does not match the marked pixels")
            }
            bitCounts[segment] = count
        }
        let total = bitCounts.reduce(0, +)
        var packed = [UInt8](repeating: 0, count: (total + 7) / 8)
        var count = 0
        for segment in 0..<(passes * 2) {
            for k in starts[segment]..<(starts[segment] + bitCounts[segment]) {
                packed[count >> 3] |= bits[k] << UInt8(7 - count & 7)
                count += 1
            }
        }
        return (packed, count)
    }

    /// One segment of `extract`: undoes the first `visited` pixels of the runs in place, writes the
    /// bit of every pixel to `bits` (advancing only past those that carried one) and returns the bits
    /// found and the location-map entries used, or `map.count + 1` when the map ran out. Kept apart
    /// for the same reason as `embedSegment`.
    private func extractSegment(_ px: UnsafeMutablePointer<Int32>, runs: UnsafeBufferPointer<ExpansionLayers.Run>, visited: Int,
                                map: UnsafeBufferPointer<UInt8>, bits: UnsafeMutablePointer<UInt8>) -> (count: Int, mapUsed: Int) {
        let (p, q) = (Int32(range.p), Int32(range.q))
        let expandedSpan = UInt32(bitPattern: 2 &* q &+ 1 &- 2 &* p)
        let (lowestSafe, width) = (lowestSafe, width)
        let (everythingInZ, safeSpan) = (highestSafe < lowestSafe, UInt32(bitPattern: highestSafe &- lowestSafe))
        var count = 0, mapPosition = 0, remaining = visited
        for run in runs where remaining > 0 {
            let n = min(Int(run.count), remaining)
            remaining &-= n
            var i = Int(run.start)
            let end = i &+ 2 &* n
            while i < end {
                defer { i &+= 2 }
                let marked = px[i]
                if everythingInZ || UInt32(bitPattern: marked &- lowestSafe) > safeSpan {
                    guard mapPosition < map.count else { return (count, map.count + 1) }
                    mapPosition &+= 1
                    if map[mapPosition &- 1] == 0 { continue }
                }
                let u = (px[i &- 1] &+ px[i &+ 1] &+ px[i &- width] &+ px[i &+ width]) >> 2
                let expanded = marked &- u
                // Branch-free, as in `embed`: D ∈ [2p, 2q + 1] carries a bit.
                let carries = UInt32(bitPattern: expanded &- 2 &* p) <= expandedSpan
                let shifted = expanded > 2 &* q &+ 1 ? marked &- q &- 1 : marked &- p
                bits[count] = UInt8(truncatingIfNeeded: expanded & 1)
                count &+= carries ? 1 : 0
                px[i] = carries ? u &+ (expanded >> 1) : shifted
            }
        }
        return (count, mapPosition)
    }
}
