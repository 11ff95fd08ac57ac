import Testing
import VeilCompression
@testable import VeilCore

/// Frames of every kind and format with small explicit key regions: many quick round trips.
struct SmallCase: Sendable, CustomStringConvertible {
    var frame: FrameCase
    var keyRegion: Region
    var scramble: ScrambleKind
    var description: String { "\(frame) key \(keyRegion) \(scramble)" }

    static let all: [SmallCase] = {
        var random = TestRandom(seed: 2026)
        let formats = [(8, false), (8, true), (10, false), (12, true), (12, false), (16, false), (16, true), (2, false), (5, true)]
        return (0..<140).map { seed in
            let (bits, signed) = formats[seed % formats.count]
            let width = Int.random(in: 24...96, using: &random), height = Int.random(in: 24...96, using: &random)
            let side = Int.random(in: 4...12, using: &random)
            let region = Region(x: Int.random(in: 0...(width - side), using: &random), y: Int.random(in: 0...(height - side), using: &random),
                                width: side, height: side)
            let content = Content.allCases[seed / formats.count % Content.allCases.count]
            return SmallCase(frame: FrameCase(width: width, height: height, bits: bits, signed: signed, content: content, seed: UInt64(seed)),
                             keyRegion: region, scramble: seed % 2 == 0 ? .arnold : .permutation)
        }
    }()
}

/// Default configuration over sizes from too small to 1024² and every content kind.
let defaultCases: [FrameCase] = {
    var cases = [FrameCase]()
    let formats = [(8, false), (12, true), (16, false), (16, true)]
    for (index, content) in Content.allCases.enumerated() {
        for (bits, signed) in formats {
            for (width, height) in [(150, 150), (176, 176), (200, 260)] {
                cases.append(FrameCase(width: width, height: height, bits: bits, signed: signed, content: content, seed: UInt64(index)))
            }
        }
    }
    cases.append(FrameCase(width: 512, height: 512, bits: 12, signed: true, content: .smooth, seed: 5))
    cases.append(FrameCase(width: 512, height: 512, bits: 16, signed: false, content: .background, seed: 6))
    cases.append(FrameCase(width: 1024, height: 1030, bits: 16, signed: true, content: .ct, seed: 7))
    cases.append(FrameCase(width: 1031, height: 1024, bits: 8, signed: false, content: .smooth, seed: 8))
    return cases
}()

@Suite struct RoundTripTests {
    @Test(arguments: SmallCase.all)
    func smallFramesRestoreExactlyOrRefuse(_ test: SmallCase) throws {
        var configuration = EngineConfiguration()
        configuration.explicitKeyRegion = test.keyRegion
        configuration.scramble = test.scramble
        let (outcome, _) = try roundTrip(test.frame.frame, configuration: configuration)
        #expect(outcome != .wrongFrame)
        if case .refused(let error) = outcome {
            #expect(error.description.contains("does not fit") || error.description.contains("too small"))
        }
    }

    @Test(arguments: defaultCases)
    func defaultConfigurationRestoresExactlyOrRefuses(_ test: FrameCase) throws {
        let (outcome, _) = try roundTrip(test.frame)
        #expect(outcome != .wrongFrame)
        if test.width < 176 { #expect(outcome == .refused(.frameTooSmall(width: test.width, height: test.height, minimumSide: 176))) }
    }

    /// Most small cases with texture must actually embed, or the property above proves little.
    @Test func mostSmallCasesFit() throws {
        var restored = [Content: Int](), total = [Content: Int]()
        for test in SmallCase.all {
            var configuration = EngineConfiguration()
            configuration.explicitKeyRegion = test.keyRegion
            total[test.frame.content, default: 0] += 1
            if try roundTrip(test.frame.frame, configuration: configuration).0 == .restored { restored[test.frame.content, default: 0] += 1 }
        }
        // Flat, noise, saturated and background frames have little or no texture; these must embed.
        #expect(restored[.gradient, default: 0] + restored[.smooth, default: 0] >= 2 * (total[.gradient]! + total[.smooth]!) / 3)
    }

    @Test(arguments: [(512, 512, UInt64(1)), (512, 512, 2), (640, 480, 3), (1024, 1024, 4)])
    func ctLikeFramesFitWithTheDefaults(width: Int, height: Int, seed: UInt64) throws {
        let frame = FrameCase(width: width, height: height, bits: 12, signed: true, content: .ct, seed: seed).frame
        let (outcome, protected) = try roundTrip(frame)
        #expect(outcome == .restored)
        let protectedFrame = try #require(protected)
        #expect(Metrics.psnr(protectedFrame.frame, frame) < 40)
    }

    static var smallKeyRegion: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.explicitKeyRegion = Region(x: 96, y: 96, width: 64, height: 64)
        return configuration
    }

    @Test func everyCodecRestores() throws {
        let frame = FrameCase(width: 256, height: 256, bits: 12, signed: true, content: .ct, seed: 11).frame
        #expect(try roundTrip(frame, configuration: Self.smallKeyRegion, codec: ZlibCodec()).0 == .restored)
        #expect(try roundTrip(frame, configuration: Self.smallKeyRegion, codec: LZMACodec()).0 == .restored)
        #expect(try roundTrip(frame, configuration: Self.smallKeyRegion, codec: ZstdCodec()).0 == .restored)
    }

    @Test(arguments: SamplePacking.allCases)
    func everyPackingRestores(_ packing: SamplePacking) throws {
        var configuration = Self.smallKeyRegion
        configuration.packing = packing
        let frame = FrameCase(width: 256, height: 256, bits: 12, signed: true, content: .ct, seed: 12).frame
        #expect(try roundTrip(frame, configuration: configuration).0 == .restored)
    }

    @Test func thePaperParametersAreChosenWhenTheyFit() throws {
        var configuration = EngineConfiguration()
        configuration.explicitKeyRegion = Region(x: 200, y: 200, width: 16, height: 16)
        var random = TestRandom(seed: 13)
        let format = SampleFormat(bitsStored: 8, isSigned: false)
        let frame = Frame(width: 512, height: 512, format: format, samples: (0..<(512 * 512)).map { _ in Int32(128 + random.gaussian(sigma: 9)) })
        let (outcome, protected) = try roundTrip(frame, configuration: configuration)
        #expect(outcome == .restored)
        let parameters = try #require(protected?.parameters)
        #expect(parameters.range == .paper)
        #expect(parameters.passes == 1)
        #expect((5...50).contains(parameters.threshold))
    }

    @Test func doesNotFitCarriesTheNumbers() throws {
        let frame = FrameCase(width: 200, height: 200, bits: 16, signed: false, content: .noise, seed: 14).frame
        let (outcome, _) = try roundTrip(frame)
        guard case .refused(.doesNotFit(let needed, let best, _)) = outcome else {
            Issue.record("expected doesNotFit, got \(outcome)")
            return
        }
        #expect(needed > best)
        #expect(needed > 8 * 160 * 160)
    }

    /// With `lastResortReach`, a payload far beyond every estimate is refused without a trial
    /// embedding (nothing was measured); without it, the best-rated candidate is tried first.
    @Test func aHopelessLastResortIsSkippedOnlyWhenAsked() throws {
        let frame = FrameCase(width: 200, height: 200, bits: 16, signed: false, content: .noise, seed: 14).frame
        var configuration = EngineConfiguration()
        for reach in [nil, EngineConfiguration.fallbackLastResortReach] {
            configuration.lastResortReach = reach
            let (outcome, _) = try roundTrip(frame, configuration: configuration)
            guard case .refused(.doesNotFit(_, let best, _)) = outcome else {
                Issue.record("expected doesNotFit, got \(outcome)")
                continue
            }
            #expect((best > 0) == (reach == nil), "reach \(String(describing: reach)): best capacity found \(best)")
        }
    }
}
