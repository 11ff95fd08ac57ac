import Testing
import VeilCompression
@testable import VeilCore

@Suite struct ComponentTests {
    @Test(arguments: 0..<40)
    func runLengthCodingRoundTrips(_ seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        let density = Double(seed % 10) / 9
        let bits: [UInt8] = (0..<Int.random(in: 0...500, using: &random)).map { _ in Double.random(in: 0..<1, using: &random) < density ? 1 : 0 }
        var writer = BitWriter()
        writer.writeGamma(seed + 1)
        writer.writeRuns(bits)
        var reader = BitReader(writer.bytes, bitCount: writer.count)
        #expect(try reader.readGamma() == seed + 1)
        #expect(try reader.readRuns(count: bits.count) == bits)
        #expect(reader.remaining == 0)
    }

    @Test func truncatedBitsAreCorrupt() {
        var writer = BitWriter()
        writer.writeRuns([0, 0, 0, 1, 1, 0])
        var reader = BitReader(writer.bytes, bitCount: writer.count - 1)
        #expect(throws: EngineError.self) { try reader.readRuns(count: 6) }
    }

    @Test(arguments: [ExpansionRange.paper, ExpansionRange(p: -4, q: 3), ExpansionRange(p: 0, q: 0), ExpansionRange(p: -64, q: 63)],
          [(8, false), (2, false), (12, true), (16, false)])
    func expansionRoundTripsOnAnyLayers(range: ExpansionRange, format: (Int, Bool)) throws {
        let frame = FrameCase(width: 40, height: 33, bits: format.0, signed: format.1, content: .saturated, seed: 3).frame
        let layout = BlockLayout(width: 40, height: 33, keyRegion: Region(x: 30, y: 0, width: 10, height: 10))
        let map = [UInt8](repeating: 1, count: layout.usable.count - 1)
        let layers = ExpansionLayers(layout: layout, sideBlockCount: 1, textureMap: map)
        let expansion = PredictionErrorExpansion(width: 40, format: frame.format, range: range, passes: 3)
        let payload: [UInt8] = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var samples = frame.samples
        let (embedded, trace) = expansion.embed(into: &samples, layers: layers, payload: payload, bitCount: 1600)
        #expect(Frame(width: 40, height: 33, format: frame.format, samples: samples).isWithinFormat)
        let (extracted, count) = try expansion.extract(from: &samples, layers: layers, trace: trace)
        #expect(count == embedded)
        #expect(samples == frame.samples)
        for i in 0..<embedded { #expect(extracted.bit(at: i) == payload.bit(at: i)) }
    }

    /// The planner's per-block counts equal a direct count of interior pixels whose rhombus
    /// prediction error lies in the range (border pixels have none), for every ladder range.
    @Test(arguments: [(8, false), (12, true), (16, false), (16, true)], [Content.noise, .saturated, .ct])
    func capacityCountsMatchADirectCount(format: (Int, Bool), content: Content) {
        let frame = FrameCase(width: 61, height: 45, bits: format.0, signed: format.1, content: content, seed: 5).frame
        let layout = BlockLayout(width: 61, height: 45, keyRegion: Region(x: 40, y: 0, width: 16, height: 16))
        let ranges = ExpansionRange.ladder(for: frame.format) + [ExpansionRange(p: 0, q: 0), ExpansionRange(p: -7, q: 0)]
        let statistics = TextureStatistics(frame: frame, layout: layout, ranges: ranges)
        let (w, h, px) = (frame.width, frame.height, frame.samples)
        for range in ranges {
            let counts = statistics.capacityCounts(for: range)
            for (position, block) in layout.usable.enumerated() {
                let start = layout.origin(of: block)
                var expected: Int32 = 0
                for y in (start / w)..<(start / w + BlockLayout.side) {
                    for x in (start % w)..<(start % w + BlockLayout.side) where x > 0 && y > 0 && x < w - 1 && y < h - 1 {
                        let i = y * w + x
                        let error = Int(px[i]) - (Int(px[i - 1]) + Int(px[i + 1]) + Int(px[i - w]) + Int(px[i + w])) >> 2
                        if (range.p...range.q).contains(error) { expected += 1 }
                    }
                }
                #expect(counts[position] == expected, "\(range), block \(block)")
            }
        }
        // Variance and value range per block, against a direct computation.
        for (position, block) in layout.usable.enumerated() {
            let start = layout.origin(of: block)
            let values = (0..<64).map { Int(px[start + $0 / 8 * w + $0 % 8]) }
            let mean = Double(values.reduce(0, +)) / 64
            let variance = max(Double(values.map { $0 * $0 }.reduce(0, +)) / 64 - mean * mean, 0)
            #expect(statistics.variances[position] == variance, "block \(block)")
            #expect(Int(statistics.minima[position]) == values.min() && Int(statistics.maxima[position]) == values.max())
        }
    }

    @Test func layersAvoidSideBlocksAndTheKeyRegion() {
        let layout = BlockLayout(width: 64, height: 64, keyRegion: Region(x: 24, y: 24, width: 16, height: 16))
        let layers = ExpansionLayers(layout: layout, sideBlockCount: 2, textureMap: [UInt8](repeating: 1, count: layout.usable.count - 2))
        let side = Set(layout.usable.prefix(2))
        for index in layers.cross + layers.dot {
            let i = Int(index)
            for neighbour in [i - 1, i + 1, i - 64, i + 64] {
                let (x, y) = (neighbour % 64, neighbour / 64)
                #expect(!side.contains(y / 8 * 8 + x / 8))
                #expect(!((24..<40).contains(x) && (24..<40).contains(y)))
            }
        }
        #expect(layers.cross.count + layers.dot.count > 0)
        #expect(layers.cross.allSatisfy { (Int($0) % 64 + Int($0) / 64) % 2 == 0 })
        #expect(layers.dot.allSatisfy { (Int($0) % 64 + Int($0) / 64) % 2 == 1 })
        // Runs stay on one row, follow scan order and are as long as they can be.
        for layer in 0..<2 {
            let runs = layers.runs(layer)
            #expect(runs.reduce(0) { $0 + Int($1.count) } == layers.count(layer))
            for run in runs { #expect(Int(run.start) / 64 == Int(run.start + 2 * (run.count - 1)) / 64) }
            for (a, b) in zip(runs, runs.dropFirst()) { #expect(a.start + 2 * a.count < b.start) }
        }
    }

    /// The layers hold, in raster order, exactly the pixels the rule names: inside a texture block,
    /// off the frame's border and the rows and columns beyond the last whole block, and not next to
    /// a side-information block across the block's edge.
    @Test(arguments: [(64, 64, 2, UInt64(1)), (83, 77, 5, 2), (200, 131, 9, 3), (41, 40, 1, 4)])
    func layersHoldExactlyTheRulesPixels(width: Int, height: Int, sideBlocks: Int, seed: UInt64) {
        let layout = BlockLayout(width: width, height: height, keyRegion: Region(x: 16, y: 8, width: 16, height: 16))
        var random = TestRandom(seed: seed)
        let map = (0..<(layout.usable.count - sideBlocks)).map { _ in UInt8(random.next() % 4 == 0 ? 0 : 1) }
        let layers = ExpansionLayers(layout: layout, sideBlockCount: sideBlocks, textureMap: map)
        let side = Set(layout.usable.prefix(sideBlocks))
        let texture = Set(zip(map, layout.usable.dropFirst(sideBlocks)).filter { $0.0 == 1 }.map(\.1))
        func isSide(_ bx: Int, _ by: Int) -> Bool {
            bx >= 0 && by >= 0 && bx < layout.columns && by < layout.rows && side.contains(by * layout.columns + bx)
        }
        var expected: [[Int32]] = [[], []]
        for y in 1..<min(height - 1, layout.rows * 8) {
            for x in 1..<min(width - 1, layout.columns * 8) {
                let (bx, by) = (x / 8, y / 8)
                guard texture.contains(by * layout.columns + bx) else { continue }
                if x % 8 == 0 && isSide(bx - 1, by) || x % 8 == 7 && isSide(bx + 1, by) { continue }
                if y % 8 == 0 && isSide(bx, by - 1) || y % 8 == 7 && isSide(bx, by + 1) { continue }
                expected[(x + y) & 1].append(Int32(y * width + x))
            }
        }
        #expect(layers.cross == expected[0])
        #expect(layers.dot == expected[1])
    }

    @Test(arguments: ScrambleKind.allCases)
    func scramblingIsInvertibleAndMovesPixels(_ kind: ScrambleKind) {
        let frame = FrameCase(width: 83, height: 77, bits: 16, signed: false, content: .noise, seed: 4).frame
        let layout = BlockLayout(width: 83, height: 77, keyRegion: Region(x: 10, y: 10, width: 20, height: 20))
        var scrambler = Scrambler(kind: kind, layout: layout, crypto: TestCrypto(key: 1))
        var samples = frame.samples
        scrambler.scramble(&samples)
        #expect(samples != frame.samples)
        #expect(samples.sorted() == frame.samples.sorted())
        for y in 10..<30 { for x in 10..<30 { #expect(samples[y * 83 + x] == frame.samples[y * 83 + x]) } }
        scrambler.unscramble(&samples)
        #expect(samples == frame.samples)
    }

    /// Permutations are derived only for blocks that are not flat, and each is still block k's keyed
    /// shuffle from keystream bytes 8k…8k+7: the result equals moving every block by its own shuffle.
    @Test func flatBlocksAreSkippedAndTheRestMoveByTheirOwnShuffle() {
        let (width, height) = (64, 48)
        let layout = BlockLayout(width: width, height: height, keyRegion: Region(x: 0, y: 0, width: 8, height: 8))
        var random = TestRandom(seed: 11)
        // Blocks alternate flat (one value) and noisy.
        let samples = (0..<(width * height)).map { i -> Int32 in
            let (bx, by) = (i % width / 8, i / width / 8)
            return (bx + by) % 2 == 0 ? Int32(100 + bx) : Int32(random.next() % 4096)
        }
        let crypto = TestCrypto(key: 3)
        var scrambler = Scrambler(kind: .permutation, layout: layout, crypto: crypto)
        var scrambled = samples
        scrambler.scramble(&scrambled)

        let seeds = crypto.keystream(count: layout.scrambled.count * 8, purpose: "dcmveil.scramble.permutation.v1")
        var expected = samples
        for (position, block) in layout.scrambled.enumerated() {
            let seed = (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(seeds[position * 8 + $1]) }
            let permutation = Scrambler.keyedShuffle(seed: seed)
            let origin = layout.origin(of: block)
            for pixel in 0..<64 {
                let to = permutation[pixel]
                expected[origin + to / 8 * width + to % 8] = samples[origin + pixel / 8 * width + pixel % 8]
            }
        }
        #expect(scrambled == expected)
        scrambler.unscramble(&scrambled)
        #expect(scrambled == samples)
    }

    /// Block permutations prepared by protect (or another plane) restore like fresh ones, and are
    /// not used for a frame of another layout.
    @Test func preparedScrambleIsReusedOnlyForItsLayout() throws {
        let frame = FrameCase(width: 512, height: 512, bits: 12, signed: true, content: .ct, seed: 7).frame
        var configuration = EngineConfiguration()
        configuration.scramble = .permutation
        let crypto = TestCrypto(key: 5)
        let region = try Engine.keyRegion(for: frame, configuration: configuration)
        let protected = try Engine.protect(frame, keyRegion: region, configuration: configuration, crypto: crypto,
                                           codec: ZstdCodec(), associatedData: [1])
        let fresh = try Engine.restore(protected.frame, parameters: protected.parameters, crypto: crypto, codecs: [ZstdCodec()], associatedData: [1])
        let reused = try Engine.restore(protected.frame, parameters: protected.parameters, crypto: crypto, codecs: [ZstdCodec()],
                                        associatedData: [1], scramble: protected.scramble)
        #expect(fresh.frame == frame && reused.frame == frame)

        // Prepared for another key region: protect derives its own, and the result still restores.
        let elsewhere = Region(x: region.x == 0 ? 8 : 0, y: region.y, width: region.width, height: region.height)
        let other = try Engine.protect(frame, keyRegion: elsewhere, configuration: configuration, crypto: crypto,
                                       codec: ZstdCodec(), associatedData: [1], scramble: protected.scramble)
        let restored = try Engine.restore(other.frame, parameters: other.parameters, crypto: crypto, codecs: [ZstdCodec()], associatedData: [1])
        #expect(restored.frame == frame)
    }

    @Test func arnoldHasPeriodSix() {
        let layout = BlockLayout(width: 8, height: 8, keyRegion: Region(x: 100, y: 100, width: 1, height: 1))
        let frame = FrameCase(width: 8, height: 8, bits: 8, signed: false, content: .noise, seed: 5).frame
        let crypto = TestCrypto(key: 9)
        var scrambler = Scrambler(kind: .arnold, layout: layout, crypto: crypto)
        let iterations = 1 + Int(crypto.keystream(count: 1, purpose: "dcmveil.scramble.arnold.v1")[0]) % 5
        var samples = frame.samples
        for _ in 0..<(6 / gcd(6, iterations)) { scrambler.scramble(&samples) }
        #expect(samples == frame.samples)
    }

    private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    @Test(arguments: SamplePacking.allCases, [(8, false), (10, false), (12, true), (16, false), (16, true), (3, true)])
    func samplePackingRoundTrips(_ packing: SamplePacking, format: (Int, Bool)) throws {
        for content in Content.allCases {
            let frame = FrameCase(width: 37, height: 21, bits: format.0, signed: format.1, content: content, seed: 6).frame
            let packed = packing.pack(frame)
            #expect(try packing.unpack(packed, width: 37, height: 21, format: frame.format) == frame)
        }
    }

    @Test func parametersRoundTripAndRejectBadInput() throws {
        let parameters = EmbeddingParameters(keyRegion: Region(x: 1, y: 2, width: 160, height: 160), threshold: 35,
                                             range: ExpansionRange(p: -8, q: 7), passes: 2, scramble: .permutation, codecIdentifier: 3)
        let bytes = parameters.encoded()
        #expect(bytes.count == EmbeddingParameters.encodedSize)
        #expect(try EmbeddingParameters(decoding: bytes) == parameters)
        #expect(throws: EngineError.self) { try EmbeddingParameters(decoding: Array(bytes.dropLast())) }
        var badVersion = bytes
        badVersion[0] = 9
        #expect(throws: EngineError.self) { try EmbeddingParameters(decoding: badVersion) }
        var badScramble = bytes
        badScramble[16] = 0
        #expect(throws: EngineError.self) { try EmbeddingParameters(decoding: badScramble) }
        var badPasses = bytes
        badPasses[15] = 0
        #expect(throws: EngineError.self) { try EmbeddingParameters(decoding: badPasses) }
    }

    @Test func keyRegionPrefersTextureOverBackground() throws {
        let frame = FrameCase(width: 512, height: 512, bits: 12, signed: true, content: .ct, seed: 7).frame
        let region = try Engine.keyRegion(for: frame, configuration: EngineConfiguration())
        #expect(region.width == 160 && region.height == 160)
        let inside = frame.cropped(to: region).samples.filter { $0 > -900 }.count
        #expect(inside * 2 > 160 * 160)
    }

    @Test func keyRegionSideScalesAndRespectsTheQRMinimum() {
        let configuration = EngineConfiguration()
        #expect(configuration.automaticKeyRegionSide(width: 512, height: 512) == 160)
        #expect(configuration.automaticKeyRegionSide(width: 1024, height: 2048) == 320)
        #expect(configuration.automaticKeyRegionSide(width: 256, height: 256) == 160)
        #expect(configuration.automaticKeyRegionSide(width: 1760, height: 1760) == 552)
    }

    @Test func explicitKeyRegionsAreValidated() {
        var configuration = EngineConfiguration()
        configuration.explicitKeyRegion = Region(x: 500, y: 0, width: 20, height: 20)
        let frame = FrameCase(width: 512, height: 512, bits: 8, signed: false, content: .flat, seed: 1).frame
        #expect(throws: EngineError.self) { try Engine.keyRegion(for: frame, configuration: configuration) }
    }

    /// The cell sums pick what summing every candidate pixel by pixel picks, for strides that do and
    /// do not divide the side, and the share on the anatomy is `foregroundShare`'s.
    @Test(arguments: [8, 24, 40, 160])
    func keyRegionMatchesADirectSearch(stride: Int) throws {
        var configuration = EngineConfiguration()
        configuration.keyRegionStride = stride
        let frame = FrameCase(width: 420, height: 388, bits: 12, signed: true, content: .ct, seed: 11).frame
        let choice = try Engine.chooseKeyRegion(for: frame, configuration: configuration)

        let side = 160, shift = -Int(frame.format.minValue)
        let background = Engine.backgroundMask(frame, highValuesAreBackground: false)
        var candidates: [(region: Region, cv: Double, background: Double)] = []
        for y in Swift.stride(from: 0, through: frame.height - side, by: stride) {
            for x in Swift.stride(from: 0, through: frame.width - side, by: stride) {
                var sum = 0, squares = 0, dark = 0
                for row in y..<(y + side) {
                    for i in (row * frame.width + x)..<(row * frame.width + x + side) {
                        let v = Int(frame.samples[i]) + shift
                        (sum, squares, dark) = (sum + v, squares + v * v, dark + (background[i] ? 1 : 0))
                    }
                }
                let area = Double(side * side), mean = Double(sum) / area
                let cv = mean > 0 ? max(Double(squares) / area - mean * mean, 0).squareRoot() / mean : 0
                candidates.append((Region(x: x, y: y, width: side, height: side), cv, Double(dark) / area))
            }
        }
        let limit = max(configuration.maximumKeyRegionBackground,
                        candidates.map(\.background).min()! + configuration.keyRegionBackgroundSlack)
        #expect(choice.region == candidates.filter { $0.background <= limit }.max { $0.cv < $1.cv }!.region)
        #expect(choice.foregroundShare == Engine.foregroundShare(of: choice.region, in: frame))
    }

    @Test func overlappingCandidatesCanBeChosen() throws {
        var configuration = EngineConfiguration()
        configuration.keyRegionStride = 8
        let frame = FrameCase(width: 300, height: 300, bits: 12, signed: true, content: .ct, seed: 8).frame
        let region = try Engine.keyRegion(for: frame, configuration: configuration)
        #expect(region.x % 8 == 0 && region.y % 8 == 0)
    }
}

@Suite struct CompressionTests {
    static let data: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 / 7 &* 13) }

    @Test func codecsRoundTripAndRefuseDamage() throws {
        let codecs: [any LosslessCodec] = [ZlibCodec(), LZMACodec(), ZstdCodec()]
        for codec in codecs {
            let packed = try codec.compress(Self.data)
            #expect(packed.count < Self.data.count)
            #expect(try codec.decompress(packed, decompressedSize: Self.data.count) == Self.data)
            #expect(throws: CompressionError.self) { try codec.decompress(packed, decompressedSize: Self.data.count + 1) }
            #expect(throws: CompressionError.self) { try codec.decompress(packed, decompressedSize: Self.data.count - 1) }
            #expect(throws: CompressionError.self) { try codec.decompress(Array(packed.prefix(packed.count / 2)), decompressedSize: Self.data.count) }
            #expect(throws: CompressionError.self) { try codec.decompress([1, 2, 3, 4, 5], decompressedSize: 10) }
        }
    }

    @Test func emptyInputRoundTrips() throws {
        let codecs: [any LosslessCodec] = [ZlibCodec(), LZMACodec(), ZstdCodec()]
        for codec in codecs {
            #expect(try codec.decompress(codec.compress([]), decompressedSize: 0) == [])
        }
    }
}
