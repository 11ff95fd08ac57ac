import Foundation
import Testing
import VeilCrypto
import VeilImageIO
import VeilQR

@Suite struct QRTests {
    /// The QR dcmveil stamps: basic information as text (what a phone shows), then the RSA-2048
    /// ciphertext with format version and key fingerprint as Base45.
    static func defaultPayload(textBytes: Int = 180) -> (text: [UInt8], block: String) {
        let lines = """
            Hospital: Saint Elsewhere General Hospital
            Dept: Radiology
            Doctor: Dr. A. Example
            Patient No: 12345678
            Time: 2019-11-18 10:42
            Contact: 5628***
            Type: CT CHEST
            """
        let text = Array((lines + String(repeating: " ", count: 200)).utf8.prefix(textBytes - 1)) + [0x0A]
        let version: [UInt8] = [1], fingerprint = SecureRandom.bytes(8), ciphertext = SecureRandom.bytes(256)
        return (text, Base45.encode(version + fingerprint + ciphertext))
    }

    @Test func defaultPayloadFitsA160PixelBlock() throws {
        let payload = Self.defaultPayload()
        let code = try QRCode.encode([.bytes(payload.text), .alphanumeric(payload.block)])
        print("default QR payload (\(payload.text.count) text bytes + \(payload.block.count) Base45 chars):",
              "version \(code.version), ECC \(code.errorCorrection), \(code.size) modules")
        #expect(code.errorCorrection == .low)
        #expect(code.version <= 14)
        #expect(code.size + 2 * 2 <= 160 / 2)
        let block = try code.render(side: 160, dark: 0, light: 1)
        #expect(block.count == 160 * 160)
    }

    /// The same block as raw bytes instead of Base45 is smaller still (8 bits a byte against 8.25),
    /// at the price of not being text; both fit version 14.
    @Test func rawBinaryBlockAlsoFits() throws {
        let payload = Self.defaultPayload()
        let raw = try Base45.decode(payload.block)
        let code = try QRCode.encode([.bytes(payload.text + raw)])
        print("raw-binary variant (\(payload.text.count + raw.count) bytes): version \(code.version), ECC \(code.errorCorrection)")
        #expect(code.version <= 14)
    }

    @Test func emptySegmentsAreSkipped() throws {
        let code = try QRCode.encode([.bytes([]), .alphanumeric("DCMVEIL"), .alphanumeric("")])
        #expect(code.version == 1)
    }

    /// `smallestVersion` is what lets the pipeline fit its readable lines without encoding: it must
    /// name the very version libqrencode picks, at every version boundary the lengths cross.
    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func smallestVersionIsTheVersionEncodeChooses(level: QRCode.ErrorCorrection) throws {
        let block = Base45.encode([UInt8](repeating: 0xA5, count: 264))
        for textBytes in stride(from: 0, through: 1400, by: 7) {
            let segments: [QRSegment] = [.bytes([UInt8](repeating: 0x41, count: textBytes)), .alphanumeric(block)]
            for maximumVersion in [14, 40] {
                let version = QRCode.smallestVersion(for: segments, errorCorrection: level, maximumVersion: maximumVersion)
                let code = try? QRCode.encode(segments, errorCorrection: level, maximumVersion: maximumVersion)
                #expect(version == code?.version, "\(textBytes) text bytes, \(level), up to version \(maximumVersion)")
            }
        }
        #expect(QRCode.smallestVersion(for: [.alphanumeric("lower case")]) == nil)
    }

    @Test func payloadTooLargeNamesTheNumbers() {
        #expect(throws: QRError.payloadTooLarge(bitsNeeded: 24020, capacityBits: 23648, maximumVersion: 40, errorCorrection: .low)) {
            try QRCode.encode([.bytes([UInt8](repeating: 7, count: 3000))])
        }
        #expect(throws: QRError.payloadTooLarge(bitsNeeded: 4020, capacityBits: 3688, maximumVersion: 14, errorCorrection: .low)) {
            try QRCode.encode([.bytes([UInt8](repeating: 7, count: 500))], maximumVersion: 14)
        }
    }

    @Test func lowerCaseIsNotAlphanumeric() {
        #expect(throws: QRError.notAlphanumeric("a")) { try QRCode.encode([.alphanumeric("ABa")]) }
    }

    /// Our capacity table must agree with libqrencode: the largest byte payload our table allows for a
    /// version is what libqrencode puts in that version, and one byte more needs the next.
    @Test(arguments: QRCode.ErrorCorrection.allCases)
    func capacityAgreesWithLibqrencode(level: QRCode.ErrorCorrection) throws {
        for version in [1, 2, 9, 10, 14, 26, 27, 39] {
            let tooLarge = #expect(throws: QRError.self) {
                try QRCode.encode([.bytes([UInt8](repeating: 0x41, count: 3000))], errorCorrection: level, maximumVersion: version)
            }
            guard case let .payloadTooLarge(_, capacityBits, _, _) = tooLarge else { return }
            let largest = (capacityBits - 4 - (version <= 9 ? 8 : 16)) / 8
            let code = try QRCode.encode([.bytes([UInt8](repeating: 0x41, count: largest))], errorCorrection: level)
            let next = try QRCode.encode([.bytes([UInt8](repeating: 0x41, count: largest + 1))], errorCorrection: level)
            #expect(code.version == version && next.version == version + 1, "version \(version) \(level): \(largest) bytes")
        }
    }

    @Test func renderCentresWholePixelModulesWithQuietZone() throws {
        let code = try QRCode.encode([.bytes(Array("dcmveil".utf8))])  // version 1: 21 modules
        let block = try code.render(side: 100, dark: -5, light: 9)
        let module = 100 / (21 + 4)  // 4 pixels
        let offset = (100 - 21 * module) / 2
        for y in 0..<100 {
            for x in 0..<100 {
                let mx = (x - offset), my = (y - offset)
                let inside = (0..<(21 * module)).contains(mx) && (0..<(21 * module)).contains(my)
                let expected: Int32 = inside && code.isDark(x: mx / module, y: my / module) ? -5 : 9
                #expect(block[y * 100 + x] == expected)
                if block[y * 100 + x] != expected { return }
            }
        }
        #expect(throws: QRError.blockTooSmall(side: 49, sideNeeded: 50)) { try code.render(side: 49, dark: 0, light: 1) }
    }

    /// A CT-like 512×512 frame of 12-bit values with noise, the code drawn near a corner in the
    /// frame's extreme values, shown through an 8-bit window as a viewer would.
    struct Frame {
        static let side = 512
        var samples: [UInt16]
        let origin = (x: 320, y: 24)

        init(code: QRCode) throws {
            var generator = SystemRandomNumberGenerator()
            samples = (0..<(Self.side * Self.side)).map { index in
                let x = index % Self.side, y = index / Self.side
                let anatomy = 1000 + 1500 * sin(Double(x) / 40) * cos(Double(y) / 55) + Double(y)
                return UInt16(clamping: Int(anatomy) + Int.random(in: -300...300, using: &generator))
            }
            let block = try code.render(side: 160, dark: 0, light: 4095)
            for y in 0..<160 {
                for x in 0..<160 {
                    samples[(origin.y + y) * Self.side + origin.x + x] = UInt16(block[y * 160 + x])
                }
            }
        }

        var windowed8: [UInt8] { samples.map { UInt8(min(4095, Int($0)) * 255 / 4095) } }
    }

    @Test func ourReaderFindsTheCodeInAWholeNoisyFrame() throws {
        let payload = Self.defaultPayload()
        let frame = try Frame(code: QRCode.encode([.bytes(payload.text), .alphanumeric(payload.block)]))
        let found = try QRReader.decode(gray8: frame.windowed8, width: Frame.side, height: Frame.side)
        try #require(found.count == 1)
        #expect(found[0].payload == payload.text + Array(payload.block.utf8))
        let bounds = found[0].bounds
        #expect(bounds.x >= frame.origin.x && bounds.y >= frame.origin.y)
        #expect(bounds.x + bounds.width <= frame.origin.x + 160 && bounds.y + bounds.height <= frame.origin.y + 160)
        #expect(bounds.width >= 140)
    }

    @Test func binaryPayloadRoundTripsByteExactly() throws {
        let bytes = (0..<300).map { UInt8($0 % 256) }.shuffled()
        let frame = try Frame(code: QRCode.encode([.bytes(bytes)]))
        let found = try QRReader.decode(gray8: frame.windowed8, width: Frame.side, height: Frame.side)
        #expect(found.map(\.payload) == [bytes])
    }

    @Test func zbarimgReadsThePNGRendering() throws {
        let payload = Self.defaultPayload()
        let frame = try Frame(code: QRCode.encode([.bytes(payload.text), .alphanumeric(payload.block)]))
        let directory = try TemporaryDirectory()
        let path = try directory.write(try PNG.write(gray8: frame.windowed8, width: Frame.side, height: Frame.side), to: "frame.png")
        let output = try runChecked("zbarimg", ["--raw", "-q", path])
        #expect(output == payload.text + Array(payload.block.utf8) + [0x0A])
    }

    @Test func frameWithoutCodeYieldsNothing() throws {
        let noise = (0..<(64 * 64)).map { _ in UInt8.random(in: 0...255) }
        #expect(try QRReader.decode(gray8: noise, width: 64, height: 64).isEmpty)
        #expect(throws: QRError.self) { try QRReader.decode(gray8: noise, width: 64, height: 65) }
    }
}
