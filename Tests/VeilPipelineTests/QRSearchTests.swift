import Testing
@testable import VeilPipeline
import VeilCore

/// Restore looks for the QR on stored values and renders only the area it finds: both rest on
/// `DisplayWindow.saturation` agreeing exactly with what `render` shows.
@Suite struct QRSearchTests {
    @Test(arguments: [(Int32(-160), Int32(240), false), (0, 4095, false), (-2048, -2000, true), (100, 101, false), (-5, 300, true)])
    func saturationAgreesWithTheRendering(low: Int32, high: Int32, inverted: Bool) {
        let window = DisplayWindow(low: low, high: high, inverted: inverted)
        let (lowest, highest) = window.saturation
        for value in (low - 40)...(high + 40) {
            let grey = inverted ? 255 - window.grey(value) : window.grey(value)
            #expect((grey == 0) == (value <= lowest), "value \(value)")
            #expect((grey == 255) == (value >= highest), "value \(value)")
        }
    }

    /// A 256×256 frame of mid-window noise with a 2-px-module checkerboard in the window's extremes,
    /// as a QR code is drawn, at (x, y).
    func frame(withCodeAt origin: (x: Int, y: Int)?, side: Int = 96, window: DisplayWindow) -> Frame {
        var generator = SystemRandomNumberGenerator()
        let (lowest, highest) = window.saturation
        var samples = (0..<(256 * 256)).map { _ in Int32.random(in: (lowest + 1)...(highest - 1), using: &generator) }
        if let origin {
            for y in 0..<side {
                for x in 0..<side {
                    let module = (x / 2 + y / 2 * 3) % 5 < 2
                    samples[(origin.y + y) * 256 + origin.x + x] = module ? window.dark : window.light
                }
            }
        }
        return Frame(width: 256, height: 256, format: SampleFormat(bitsStored: 12, isSigned: true), samples: samples)
    }

    @Test func theAreaFoundHoldsTheCode() throws {
        let window = DisplayWindow(low: -160, high: 240, inverted: false)
        let area = try #require(likelyQRArea(in: frame(withCodeAt: (x: 67, y: 120), window: window), window: window))
        #expect(area.x <= 67 && area.y <= 120 && area.maxX >= 67 + 96 && area.maxY >= 120 + 96)
        #expect(area.width <= 96 + 2 * 32 && area.height <= 96 + 2 * 32, "a crop, not the frame")
    }

    @Test func noiseHasNoArea() {
        let window = DisplayWindow(low: -160, high: 240, inverted: true)
        #expect(likelyQRArea(in: frame(withCodeAt: nil, window: window), window: window) == nil)
    }
}
