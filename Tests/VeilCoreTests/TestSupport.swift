import VeilCompression
@testable import VeilCore

// The engine's tests see no pipeline: they number the codecs as the pipeline does.
extension ZlibCodec: LosslessCodec { package var identifier: UInt8 { 1 } }
extension LZMACodec: LosslessCodec { package var identifier: UInt8 { 2 } }
extension ZstdCodec: LosslessCodec { package var identifier: UInt8 { 3 } }

/// A stand-in for the pipeline's AES-256-GCM: a keyed XOR stream and a keyed 128-bit tag over nonce,
/// associated data and ciphertext. Not secure, but it fails `open` on any change to those or to the
/// key, which is all the engine relies on.
struct TestCrypto: ContentCrypto {
    var key: UInt64

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E539
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func hash(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var h = mix(seed ^ UInt64(bytes.count))
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i + 8 <= b.count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(b[i + k]) << UInt64(8 * k) }
                h = mix(h ^ word)
                i += 8
            }
            while i < b.count {
                h = mix(h ^ UInt64(b[i]))
                i += 1
            }
        }
        return h
    }

    private func stream(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { i in
            if i % 8 == 0 { state = Self.mix(state) }
            return UInt8(truncatingIfNeeded: state >> UInt64(8 * (i % 8)))
        }
    }

    private func tag(nonce: [UInt8], ciphertext: [UInt8], associatedData: [UInt8]) -> [UInt8] {
        let first = Self.hash(nonce + associatedData, seed: key)
        let second = Self.hash(ciphertext, seed: first)
        return (0..<16).map { UInt8(truncatingIfNeeded: (($0 < 8 ? first : second) ^ second) >> UInt64(8 * ($0 % 8))) }
    }

    func seal(_ plaintext: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        let n = Self.hash(plaintext, seed: key ^ 0x1234)
        let nonce = (0..<12).map { UInt8(truncatingIfNeeded: n >> UInt64(8 * ($0 % 8))) }
        let pad = stream(count: plaintext.count, seed: Self.hash(nonce, seed: key))
        let ciphertext = zip(plaintext, pad).map { $0 ^ $1 }
        return nonce + ciphertext + tag(nonce: nonce, ciphertext: ciphertext, associatedData: associatedData)
    }

    struct AuthenticationFailure: Error {}

    func open(_ sealed: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= 28 else { throw AuthenticationFailure() }
        let nonce = Array(sealed[..<12]), ciphertext = Array(sealed[12..<(sealed.count - 16)])
        guard tag(nonce: nonce, ciphertext: ciphertext, associatedData: associatedData) == Array(sealed.suffix(16)) else {
            throw AuthenticationFailure()
        }
        let pad = stream(count: ciphertext.count, seed: Self.hash(nonce, seed: key))
        return zip(ciphertext, pad).map { $0 ^ $1 }
    }

    func keystream(count: Int, purpose: String) -> [UInt8] {
        stream(count: count, seed: Self.hash(Array(purpose.utf8), seed: key ^ 0xABCD))
    }

    /// A 256-bit keyless digest (four seeded lanes); stands in for SHA-256.
    func sha256(_ bytes: [UInt8]) -> [UInt8] {
        (0..<4).flatMap { lane in
            let h = Self.hash(bytes, seed: UInt64(lane))
            return (0..<8).map { UInt8(truncatingIfNeeded: h >> UInt64(8 * $0)) }
        }
    }
}

/// A seeded generator so every test frame is reproducible from its description.
/// It draws from the scrambler's PermutationMixer.
struct TestRandom: RandomNumberGenerator {
    private var generator: PermutationMixer
    init(seed: UInt64) { generator = PermutationMixer(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }

    /// Roughly normal, by summing uniforms.
    mutating func gaussian(sigma: Double) -> Double {
        (0..<4).reduce(0.0) { sum, _ in sum + Double.random(in: -1...1, using: &self) } * sigma * 0.866
    }
}

/// Kinds of content the property tests draw frames from.
enum Content: String, CaseIterable, Sendable, CustomStringConvertible {
    case flat, noise, saturated, background, gradient, smooth, ct
    var description: String { rawValue }
}

/// A frame description; `frame` builds it deterministically.
struct FrameCase: Sendable, CustomStringConvertible {
    var width: Int
    var height: Int
    var bits: Int
    var signed: Bool
    var content: Content
    var seed: UInt64

    var description: String { "\(width)x\(height) \(bits)-bit \(signed ? "signed" : "unsigned") \(content) #\(seed)" }

    var frame: Frame {
        let format = SampleFormat(bitsStored: bits, isSigned: signed)
        var random = TestRandom(seed: seed &* 7919 &+ UInt64(width * 31 + height))
        let (low, high) = (Double(format.minValue), Double(format.maxValue))
        let span = high - low
        func clamp(_ v: Double) -> Int32 { Int32(min(max(v.rounded(.down), low), high)) }
        let level = Double.random(in: low...high, using: &random)
        var samples = [Int32]()
        samples.reserveCapacity(width * height)
        for y in 0..<height {
            for x in 0..<width {
                let fx = Double(x) / Double(max(width - 1, 1)), fy = Double(y) / Double(max(height - 1, 1))
                let value: Double
                switch content {
                case .flat:
                    value = level
                case .noise:
                    value = Double.random(in: low...high, using: &random)
                case .saturated:
                    let r = Double.random(in: 0..<1, using: &random)
                    value = r < 0.4 ? low : r < 0.8 ? high : low + random.gaussian(sigma: 3).magnitude
                case .background:
                    let dx = fx - 0.7, dy = fy - 0.3
                    value = dx * dx + dy * dy < 0.02 ? low + span * 0.6 + random.gaussian(sigma: span / 50) : low
                case .gradient:
                    value = low + span * (fx + fy) / 2
                case .smooth:
                    value = low + span * (0.5 + 0.3 * fx * fy - 0.2 * fx) + random.gaussian(sigma: max(span / 400, 1))
                case .ct:
                    value = Self.hounsfield(fx, fy, &random)
                }
                samples.append(clamp(value))
            }
        }
        return Frame(width: width, height: height, format: format, samples: samples)
    }

    /// A CT slice in HU: air, a body ellipse of soft tissue with lungs and a bone ring, noise.
    static func hounsfield(_ fx: Double, _ fy: Double, _ random: inout TestRandom) -> Double {
        let (x, y) = (fx - 0.5, fy - 0.5)
        let body = (x * x) / 0.18 + (y * y) / 0.12
        var hu = -1000.0
        if body < 1 {
            hu = 40
            if body > 0.85 { hu = 900 }
            let lx = (abs(x) - 0.17), ly = y + 0.02
            if lx * lx / 0.012 + ly * ly / 0.03 < 1 { hu = -820 }
        }
        return hu + random.gaussian(sigma: 18)
    }
}

/// What a protect → restore round trip ended in; anything but `.restored` or a refusal fails a test.
enum RoundTrip: Equatable {
    case restored
    case refused(EngineError)
    /// Restore returned a frame that differs from the original: the one outcome never allowed.
    case wrongFrame
}

func roundTrip(_ frame: Frame, configuration: EngineConfiguration = EngineConfiguration(), crypto: TestCrypto = TestCrypto(key: 42),
               codec: some LosslessCodec = ZstdCodec(level: 3), drawQR: Bool = true) throws -> (RoundTrip, ProtectedFrame?) {
    let keyRegion: Region
    let protected: ProtectedFrame
    do {
        keyRegion = try Engine.keyRegion(for: frame, configuration: configuration)
        protected = try Engine.protect(frame, keyRegion: keyRegion, configuration: configuration, crypto: crypto, codec: codec, associatedData: [1, 2, 3])
    } catch let error as EngineError {
        switch error {
        case .frameTooSmall, .doesNotFit: return (.refused(error), nil)
        default: throw error
        }
    }
    var marked = protected.frame
    if drawQR { drawPseudoQR(into: &marked, region: protected.parameters.keyRegion, seed: 99) }
    let restored = try Engine.restore(marked, parameters: protected.parameters, crypto: crypto,
                                      codecs: [ZlibCodec(), LZMACodec(), ZstdCodec()], associatedData: [1, 2, 3])
    guard restored.frame == frame else { return (.wrongFrame, protected) }
    return (.restored, protected)
}

/// Draws a pseudo-QR (random extreme values) into the key region, as the pipeline would.
func drawPseudoQR(into frame: inout Frame, region: Region, seed: UInt64) {
    var random = TestRandom(seed: seed)
    for y in region.y..<region.maxY {
        for x in region.x..<region.maxX {
            frame.samples[y * frame.width + x] = Bool.random(using: &random) ? frame.format.minValue : frame.format.maxValue
        }
    }
}
