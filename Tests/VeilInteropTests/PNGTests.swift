import Testing
import VeilImageIO

@Suite struct PNGTests {
    @Test func gray8RoundTrips() throws {
        let samples = (0..<(37 * 23)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let image = try PNG.read(try PNG.write(gray8: samples, width: 37, height: 23))
        #expect(image.width == 37 && image.height == 23 && image.bitDepth == 8 && image.channels == 1)
        #expect(image.samples == samples.map(UInt16.init))
    }

    @Test func gray16RoundTripsEveryValue() throws {
        let samples = (0..<(256 * 256)).map { UInt16($0) }
        let image = try PNG.read(try PNG.write(gray16: samples, width: 256, height: 256))
        #expect(image.bitDepth == 16 && image.channels == 1)
        #expect(image.samples == samples)
    }

    @Test func rgb8RoundTrips() throws {
        let samples = (0..<(5 * 4 * 3)).map { UInt8($0 * 4) }
        let image = try PNG.read(try PNG.write(rgb8: samples, width: 5, height: 4))
        #expect(image.channels == 3 && image.samples == samples.map(UInt16.init))
    }

    @Test func badInputGivesErrors() throws {
        #expect(throws: PNGError.self) { try PNG.write(gray8: [1, 2, 3], width: 2, height: 2) }
        #expect(throws: PNGError.self) { try PNG.write(gray8: [], width: 0, height: 0) }
        #expect(throws: PNGError.self) { try PNG.read(Array("not a png at all".utf8)) }
        let png = try PNG.write(gray8: [UInt8](repeating: 9, count: 100 * 100), width: 100, height: 100)
        let truncated = #expect(throws: PNGError.self) { try PNG.read(Array(png.prefix(png.count - 20))) }
        #expect(truncated?.message.isEmpty == false)
        var corrupt = png
        corrupt[40] ^= 0xFF  // inside the image data: the chunk CRC no longer matches
        #expect(throws: PNGError.self) { try PNG.read(corrupt) }
    }
}
