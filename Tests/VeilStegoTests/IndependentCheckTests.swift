import Foundation
import Testing
import VeilTestSupport
import VeilCrypto
import VeilImageIO
@testable import VeilStego

/// What other tools see: pydicom compares cover and stego, and the report carries the paper's figures.
@Suite struct IndependentCheckTests {
    /// pydicom: same attributes, and the pixel words differ only in the stored value's least significant bit.
    @Test(arguments: ["MR2_UNCR.dcm", "US1_UNCR.dcm"])
    func stegoDiffersFromCoverOnlyInLSBs(cover: String) throws {
        let pydicom = try python("import pydicom, numpy", [])
        try #require(pydicom.status == 0, "pydicom and numpy are needed: \(pydicom.output)")
        let scratch = try Scratch()
        let stego = scratch.file("stego.dcm")
        try Steganography.hide(secret: sample("emri_small_RLE.dcm"), cover: sample(cover),
                               certificate: Recipient.main.certificatePath, order: .keyed, to: stego)
        let result = try python("""
            import sys, numpy, pydicom
            a, b = pydicom.dcmread(sys.argv[1]), pydicom.dcmread(sys.argv[2])
            for element in a:
                if element.tag != 0x7FE00010:
                    assert b[element.tag].value == element.value, element
            assert len(a) == len(b), (len(a), len(b))
            dtype = "<u2" if a.BitsAllocated == 16 else "u1"
            x = numpy.frombuffer(a.PixelData, dtype) ^ numpy.frombuffer(b.PixelData, dtype)
            lsb = 1 << (a.HighBit + 1 - a.BitsStored)
            assert not (x & ~numpy.array(lsb, dtype)).any(), "bits other than the LSB changed"
            print(int(numpy.count_nonzero(x)), x.size)
            """, [sample(cover), stego])
        try #require(result.status == 0, "\(result.output)")
        let counts = result.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] > 100_000 && counts[0] < counts[1])
    }

    /// An 8-bit cover filled to capacity: PSNR ≈ 51.1 dB (MSE ≈ ½), as LSB replacement predicts.
    @Test func reportAtFullCapacity() throws {
        let scratch = try Scratch()
        let secret = sample("emri_small_RLE.dcm")
        let probe = try Steganography.hide(
            readBytes(secret), in: CoverImage.read(sample("US1_UNCR.dcm")),
            for: Certificate(contentsOf: Recipient.main.certificatePath).publicKey, order: .keyed)
        let side = Int(Double(probe.usedSamples).squareRoot().rounded(.up))
        let samples = testSamples(count: side * side, maximum: 255).map { UInt8($0) }
        let cover = try scratch.write(PNG.write(gray8: samples, width: side, height: side), to: "cover.png")
        let (hidden, report) = try Steganography.hide(
            secret: secret, cover: cover, certificate: Recipient.main.certificatePath, order: .keyed,
            to: scratch.file("stego.png"), report: scratch.file("report"))
        let psnr = try #require(report?.psnr), ssim = try #require(report?.ssim)
        #expect(Double(hidden.usedSamples) / Double(side * side) > 0.99)
        #expect(psnr > 50.9 && psnr < 51.4, "PSNR \(psnr)")
        #expect(ssim > 0.98 && ssim < 1, "SSIM \(ssim)")
        let page = try String(contentsOfFile: scratch.file("report/index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "<svg").count == 4)
        #expect(page.contains("data:image/png;base64,") && page.contains("yes, byte for byte"))
        for name in ["cover", "stego", "changes", "secret", "encrypted", "recovered"] {
            #expect(exists(scratch.file("report/\(name).png")), "\(name).png")
        }
    }
}
