import Testing
@testable import VeilPipeline
import VeilCore
import VeilQR

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

    /// `render` looks values up in a table when the window is narrower than the area: it must show
    /// exactly what `grey` does, inside, at and beyond both ends.
    @Test(arguments: [(Int32(-160), Int32(240), false), (-2048, -2000, true), (0, 65535, false), (100, 101, true)])
    func renderAgreesWithGrey(low: Int32, high: Int32, inverted: Bool) {
        let window = DisplayWindow(low: low, high: high, inverted: inverted)
        var generator = SystemRandomNumberGenerator()
        let samples = (0..<(64 * 64)).map { _ in Int32.random(in: (low - 300)...(high + 300), using: &generator) }
        let frame = Frame(width: 64, height: 64, format: SampleFormat(bitsStored: 16, isSigned: low < 0), samples: samples)
        #expect(window.render(frame) == samples.map(window.grey))
        let area = Region(x: 5, y: 7, width: 20, height: 30)
        #expect(window.render(frame, region: area) == (7..<37).flatMap { y in (5..<25).map { window.grey(samples[y * 64 + $0]) } })
    }

    /// A 256×256 frame of mid-window noise with a checkerboard-like code in the window's extremes,
    /// as a QR code is drawn, at (x, y); modules larger than 2 px get a one-module quiet zone.
    func frame(withCodeAt origin: (x: Int, y: Int)?, side: Int = 96, module: Int = 2, window: DisplayWindow) -> Frame {
        var generator = SystemRandomNumberGenerator()
        let (lowest, highest) = window.saturation
        var samples = (0..<(256 * 256)).map { _ in Int32.random(in: (lowest + 1)...(highest - 1), using: &generator) }
        if let origin {
            for y in 0..<side {
                for x in 0..<side {
                    let quiet = module > 2 && (min(x, y) < module || max(x, y) >= side - module)
                    let isDark = !quiet && (x / module + y / module * 3) % 5 < 2
                    samples[(origin.y + y) * 256 + origin.x + x] = isDark ? window.dark : window.light
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

    /// Modules of 8 or 16 px on the 8-pixel grid fill whole cells with one colour (a 1760² CR's QR
    /// was drawn so); the search must still find a real code, and zbar read it from the crop alone.
    @Test(arguments: [(8, 0), (8, 4), (16, 0), (16, 8), (3, 5)])
    func largeModulesAreFoundOnOrOffTheGrid(module: Int, shift: Int) throws {
        let window = DisplayWindow(low: 38, high: 1023, inverted: true)
        let payload = Array("dcmveil large-module search".utf8)
        let code = try QRCode.encode([.bytes(payload)])
        let side = (code.size + 2 * QRLayout.quietZoneModules) * module
        let (width, origin) = (side + 96, 40 + shift)
        var generator = SystemRandomNumberGenerator()
        let (lowest, highest) = window.saturation
        var samples = (0..<(width * width)).map { _ in Int32.random(in: (lowest + 1)...(highest - 1), using: &generator) }
        let block = try code.render(side: side, dark: window.dark, light: window.light, quietZoneModules: QRLayout.quietZoneModules)
        for y in 0..<side { for x in 0..<side { samples[(origin + y) * width + origin + x] = block[y * side + x] } }
        let frame = Frame(width: width, height: width, format: SampleFormat(bitsStored: 10, isSigned: false), samples: samples)

        let area = try #require(likelyQRArea(in: frame, window: window))
        let found = try QRReader.decode(gray8: window.render(frame, region: area), width: area.width, height: area.height)
        #expect(found.map(\.payload) == [payload], "\(area)")
    }

    /// Codes at many pixels per module are read from the image reduced to about 2 px per module, and
    /// their bounds come back in the image's own pixels; 2-px codes are read as they are.
    @Test(arguments: [(2, 1), (3, 1), (7, 3), (12, 6)])
    func largeCodesAreReadReduced(module: Int, factor: Int) throws {
        let payload = Array("dcmveil reduced read".utf8)
        let code = try QRCode.encode([.bytes(payload)])
        let side = (code.size + 2 * QRLayout.quietZoneModules) * module + 5
        let block = try code.render(side: side, dark: 0, light: 255, quietZoneModules: QRLayout.quietZoneModules)
        let pixels = block.map { UInt8($0) }
        #expect(QRScan.reductionFactor(pixels, width: side, height: side) == factor)
        let found = try QRScan.decode(gray8: pixels, width: side, height: side)
        #expect(found.map(\.payload) == [payload])
        let full = try #require(try QRReader.decode(gray8: pixels, width: side, height: side).first)
        let bounds = try #require(found.first).bounds
        #expect(abs(bounds.x - full.bounds.x) <= 2 * factor && abs(bounds.width - full.bounds.width) <= 2 * factor, "\(bounds) vs \(full.bounds)")
    }

    @Test func noiseHasNoArea() {
        let window = DisplayWindow(low: -160, high: 240, inverted: true)
        #expect(likelyQRArea(in: frame(withCodeAt: nil, window: window), window: window) == nil)
    }
}
