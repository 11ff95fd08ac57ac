import Testing
@testable import VeilCore

@Suite struct MetricsTests {
    @Test func identicalFramesAreInfiniteAndOne() {
        let frame = FrameCase(width: 64, height: 48, bits: 12, signed: true, content: .ct, seed: 1).frame
        #expect(Metrics.psnr(frame, frame) == .infinity)
        #expect(abs(Metrics.ssim(frame, frame) - 1) < 1e-12)
    }

    @Test func psnrUsesTheBitDepthPeak() {
        let format = SampleFormat(bitsStored: 12, isSigned: false)
        let a = Frame(width: 2, height: 2, format: format, samples: [0, 0, 0, 0])
        let b = Frame(width: 2, height: 2, format: format, samples: [4095, 0, 0, 0])
        // MSE = 4095² / 4 → PSNR = 10·log10(4) ≈ 6.0206 dB
        #expect(abs(Metrics.psnr(a, b) - 6.020599913279624) < 1e-9)
    }

    /// Reference values from an independent numpy/scipy implementation of Wang et al.'s SSIM
    /// (scipy.signal.convolve2d 'valid' with the normalized 11×11 Gaussian, σ = 1.5).
    @Test func ssimMatchesTheReference() {
        let format = SampleFormat(bitsStored: 8, isSigned: false)
        let a = Frame(width: 16, height: 16, format: format, samples: (0..<256).map { Int32(($0 * 37) % 256) })
        let b = Frame(width: 16, height: 16, format: format, samples: (0..<256).map { Int32(($0 * 37 + ($0 % 5) * 9) % 256) })
        #expect(abs(Metrics.ssim(a, b) - ssimReference) < 1e-9)
    }

    @Test func regionVariantsMeasureTheRegion() {
        let frame = FrameCase(width: 64, height: 64, bits: 8, signed: false, content: .noise, seed: 2).frame
        var other = frame
        other.samples[0] = frame.samples[0] == 0 ? 1 : 0
        #expect(Metrics.psnr(frame, other, in: Region(x: 10, y: 10, width: 30, height: 30)) == .infinity)
        #expect(Metrics.ssim(frame, other, in: Region(x: 10, y: 10, width: 30, height: 30)) == 1)
        #expect(Metrics.psnr(frame, other) < .infinity)
    }
}

private let ssimReference = 0.5354692915060641
