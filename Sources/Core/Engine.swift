/// The result of `Engine.protect`.
package struct ProtectedFrame: Sendable {
    /// The marked, scrambled frame; the key region is filled with a flat value for the pipeline to
    /// draw the QR into.
    package var frame: Frame
    package var parameters: EmbeddingParameters
    package var report: EmbeddingReport
    /// SHA-256 of the original frame as the payload carries it: of the samples as 16-bit
    /// little-endian two's-complement words, in raster order.
    package var checksum: [UInt8]
    /// The frame's block permutations, for the other planes and the verification restore.
    package var scramble: PreparedScramble
}

/// What protect's own check expects `restore` to give back. With it, `restore` compares the
/// checksum the payload carries with the one protect computed and the restored samples with the
/// original, instead of hashing the result: the same guarantee for a real restore, without a
/// second SHA-256 of the frame.
package struct ExpectedRestoration: Sendable {
    package var frame: Frame
    package var checksum: [UInt8]

    package init(frame: Frame, checksum: [UInt8]) {
        self.frame = frame
        self.checksum = checksum
    }
}

/// What the planner chose and what it cost, for the manifest, `evaluate` and the benchmark.
package struct EmbeddingReport: Sendable {
    package var keyRegionSamples: Int
    package var compressedKeyRegionBytes: Int
    /// Sealed payload (what PEE embeds).
    package var payloadBytes: Int
    /// The planner's capacity estimate for the chosen parameters, in bits.
    package var capacityBits: Int
    package var sideInformationBits: Int
    package var sideInformationBlocks: Int
    package var textureBlocks: Int
    /// Pixels of the two PEE layers together.
    package var expansionPixels: Int
    package var candidatesEstimated: Int
    package var candidatesTried: Int
    package var timings: [StageTiming]
}

/// The result of `Engine.restore`.
package struct Restoration: Sendable {
    /// The original frame, verified against its SHA-256.
    package var frame: Frame
    /// The key region as the marked frame holds it (the QR).
    package var markedKeyRegion: Frame
    package var keyRegion: Region
    /// The caller's bytes sealed with the payload (empty for format-1 payloads, which had none).
    package var attachment: [UInt8]
    /// SHA-256 of `frame` as `Payload.checksumInput` words, checked against the restored samples.
    package var checksum: [UInt8]
    package var timings: [StageTiming]
    /// The frame's block permutations, for its other planes.
    package var scramble: PreparedScramble

    /// Unscrambled with PEE undone, the key region still as in the marked frame (the QR): what the
    /// evaluation shows, derived on demand (holding it cost restore a frame-sized copy).
    package var intermediate: Frame { frame.pasting(markedKeyRegion, at: keyRegion) }
}

/// The reversible protection engine (SPEC §3 steps 1–5 and 7); docs/DESIGN.md describes the layout.
package enum Engine {
    /// Embeds `frame`'s key region, compressed and sealed, into its texture blocks and scrambles the
    /// rest. `attachment` travels sealed with the payload (the caller's own binding data; the engine
    /// does not read it). Throws `EngineError` for frames it refuses, and passes on the codec's or
    /// crypto's errors. `scramble` (from another plane of the frame, protected with the same `crypto`)
    /// saves deriving the block permutations again.
    package static func protect(_ frame: Frame, keyRegion: Region, configuration: EngineConfiguration,
                               crypto: some ContentCrypto, codec: some LosslessCodec,
                               associatedData: [UInt8], attachment: [UInt8] = [],
                               scramble prepared: PreparedScramble? = nil) throws -> ProtectedFrame {
        var clock = Stopwatch()
        try validate(frame, keyRegion: keyRegion)
        let layout = BlockLayout(width: frame.width, height: frame.height, keyRegion: keyRegion)
        guard layout.usable.count >= 2 else {
            throw EngineError.frameTooSmall(width: frame.width, height: frame.height, minimumSide: keyRegion.width + 2 * BlockLayout.side)
        }
        let ranges = configuration.expansionRanges ?? ExpansionRange.ladder(for: frame.format)
        guard !ranges.isEmpty, ranges.allSatisfy({ $0.p <= 0 && $0.q >= 0 }), !configuration.thresholds.isEmpty,
              (1...16).contains(configuration.maximumPasses) else {
            throw EngineError.invalidParameters("configuration needs ranges containing 0, thresholds and 1…16 passes")
        }

        let packing = configuration.packing
        let compressed = try clock.time("compression") { try codec.compress(packing.pack(frame.cropped(to: keyRegion))) }
        let checksum = clock.time("checksum") { crypto.sha256(Payload.checksumInput(frame.samples)) }
        let statistics = clock.time("texture statistics") { TextureStatistics(frame: frame, layout: layout, ranges: ranges) }

        func parameters(_ candidate: PlanCandidate) -> EmbeddingParameters {
            EmbeddingParameters(keyRegion: keyRegion, threshold: candidate.threshold, range: candidate.range,
                                passes: candidate.passes, scramble: configuration.scramble, codecIdentifier: codec.identifier)
        }
        var sealOverhead = 28
        var planner = CapacityPlanner(frame: frame, layout: layout, statistics: statistics,
                                      maximumPasses: configuration.maximumPasses, thresholds: configuration.thresholds) { candidate, sideBlocks in
            let payload = Payload(packing: packing, compressedKeyRegion: compressed, attachment: attachment,
                                  sideLeastSignificantBits: SideInformation.leastSignificantBits(of: frame.samples, blocks: layout.usable[..<sideBlocks], layout: layout),
                                  checksum: checksum).encoded()
            let sealed = try crypto.seal(payload, authenticating: Payload.associatedData(associatedData, parameters: parameters(candidate), frame: frame))
            sealOverhead = sealed.count - payload.count
            return sealed
        }
        planner.lastResortReach = configuration.lastResortReach
        var plan = try planner.plan(clock: &clock) { sideBlocks in
            8 * (sealOverhead + Payload.plaintextSize(compressedKeyRegion: compressed.count, attachment: attachment.count, sideBlockCount: sideBlocks))
        }
        // Taken out of the plan, so that the fill and the scrambling work in place (a shared array
        // would be copied whole by the first write).
        var marked = plan.outcome.samples
        plan.outcome.samples = []
        let outcome = plan.outcome
        let parameters = parameters(outcome.candidate)
        let scrambler = clock.time("scramble") {
            let fill = frame.samples.min() ?? frame.format.minValue
            for y in keyRegion.y..<keyRegion.maxY {
                marked.replaceSubrange((y * frame.width + keyRegion.x)..<(y * frame.width + keyRegion.maxX),
                                       with: repeatElement(fill, count: keyRegion.width))
            }
            var scrambler = PreparedScramble.scrambler(prepared, kind: configuration.scramble, layout: layout, crypto: crypto)
            scrambler.scramble(&marked)
            return scrambler
        }
        let report = EmbeddingReport(
            keyRegionSamples: keyRegion.width * keyRegion.height, compressedKeyRegionBytes: compressed.count,
            payloadBytes: outcome.sealedBytes, capacityBits: plan.estimatedCapacity, sideInformationBits: outcome.sideBits,
            sideInformationBlocks: outcome.sideBlockCount, textureBlocks: outcome.textureBlocks,
            expansionPixels: outcome.layerPixels, candidatesEstimated: plan.candidatesEstimated, candidatesTried: plan.candidatesTried, timings: clock.stages)
        return ProtectedFrame(frame: Frame(width: frame.width, height: frame.height, format: frame.format, samples: marked),
                              parameters: parameters, report: report, checksum: checksum,
                              scramble: PreparedScramble(scrambler: scrambler))
    }

    /// Recovers the original frame from a marked one (whatever the key-region pixels now hold).
    /// Returns a frame only when the payload authenticates and the result matches the original's
    /// SHA-256 (or, given `expected`, the original itself); every other outcome is an `EngineError`.
    /// `scramble`, prepared with the same `crypto` (by protect, or for another plane), saves deriving
    /// the block permutations again.
    package static func restore(_ marked: Frame, parameters: EmbeddingParameters, crypto: some ContentCrypto,
                               codecs: [any LosslessCodec], associatedData: [UInt8],
                               expected: ExpectedRestoration? = nil, scramble prepared: PreparedScramble? = nil) throws(EngineError) -> Restoration {
        var clock = Stopwatch()
        try parameters.validate()
        try validate(marked, keyRegion: parameters.keyRegion)
        let layout = BlockLayout(width: marked.width, height: marked.height, keyRegion: parameters.keyRegion)
        var samples = marked.samples
        let scrambler = clock.time("unscramble") {
            var scrambler = PreparedScramble.scrambler(prepared, kind: parameters.scramble, layout: layout, crypto: crypto)
            scrambler.unscramble(&samples)
            return scrambler
        }

        let (side, sideBlockCount) = try clock.time("side information") { () throws(EngineError) in
            try SideInformation.read(from: samples, layout: layout, passes: parameters.passes)
        }
        let expansion = PredictionErrorExpansion(width: marked.width, format: marked.format, range: parameters.range, passes: parameters.passes)
        let (sealed, bitCount) = try clock.time("PEE extract") { () throws(EngineError) in
            let layers = ExpansionLayers(layout: layout, sideBlockCount: sideBlockCount, textureMap: side.textureMap)
            return try expansion.extract(from: &samples, layers: layers, trace: side.trace)
        }
        guard bitCount == side.payloadByteCount * 8 else { throw .corruptSideInformation("extracted \(bitCount) bits, expected \(side.payloadByteCount * 8)") }

        let opened: [UInt8]
        do {
            opened = try clock.time("open") {
                try crypto.open(sealed, authenticating: Payload.associatedData(associatedData, parameters: parameters, frame: marked))
            }
        } catch {
            throw .payloadAuthenticationFailed
        }
        let payload = try Payload(decoding: opened, sideBlockCount: sideBlockCount)
        SideInformation.replaceLeastSignificantBits(of: &samples, blocks: layout.usable[..<sideBlockCount], layout: layout,
                                                    with: payload.sideLeastSignificantBits, bitCount: sideBlockCount * SideInformation.bitsPerBlock)
        let region = parameters.keyRegion
        let markedKeyRegion = marked.cropped(to: region)  // untouched by scrambling and PEE

        guard let codec = codecs.first(where: { $0.identifier == parameters.codecIdentifier }) else {
            throw .unknownCodec(parameters.codecIdentifier)
        }
        let packedSize = region.width * region.height * (marked.format.bitsStored > 8 ? 2 : 1)
        let keyRegion = try clock.time("decompression") { () throws(EngineError) in
            let packed: [UInt8]
            do { packed = try codec.decompress(payload.compressedKeyRegion, decompressedSize: packedSize) } catch {
                throw .corruptPayload("key region does not decompress: \(error)")
            }
            return try payload.packing.unpack(packed, width: region.width, height: region.height, format: marked.format)
        }
        for row in 0..<region.height {
            let start = (region.y + row) * marked.width + region.x
            samples.replaceSubrange(start..<(start + region.width), with: keyRegion.samples[(row * region.width)..<((row + 1) * region.width)])
        }
        try clock.time("checksum") { () throws(EngineError) in
            if let expected {
                guard payload.checksum == expected.checksum, samples == expected.frame.samples else { throw .checksumMismatch }
            } else {
                guard crypto.sha256(Payload.checksumInput(samples)) == payload.checksum else { throw .checksumMismatch }
            }
        }
        return Restoration(frame: Frame(width: marked.width, height: marked.height, format: marked.format, samples: samples),
                           markedKeyRegion: markedKeyRegion, keyRegion: region, attachment: payload.attachment, checksum: payload.checksum,
                           timings: clock.stages,
                           scramble: PreparedScramble(scrambler: scrambler))
    }

    private static func validate(_ frame: Frame, keyRegion: Region) throws(EngineError) {
        guard frame.format.bitsStored >= 2 else { throw .invalidParameters("bits stored must be at least 2") }
        guard frame.isWithinFormat else { throw .samplesOutOfRange }
        try validateKeyRegion(keyRegion, in: frame)
    }
}
