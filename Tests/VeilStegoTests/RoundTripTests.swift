import Testing
import VeilTestSupport
import VeilCrypto
import VeilDICOM
import VeilImageIO
@testable import VeilStego

/// Hide, then reveal with the key: the secret comes back byte for byte, in every cover kind and order.
@Suite struct RoundTripTests {
    static let dicomPairs: [(secret: String, cover: String)] = [
        ("emri_small.dcm", "MR2_UNCR.dcm"),          // 16-bit words, 12 bits stored
        ("emri_small_RLE.dcm", "US1_UNCR.dcm"),      // 8-bit RGB
        ("emri_small.dcm", "RG3_UNCR.dcm"),          // 10 bits stored, MONOCHROME1
    ]

    @Test(arguments: dicomPairs, EmbeddingOrder.allCases)
    func dicomCover(pair: (secret: String, cover: String), order: EmbeddingOrder) throws {
        let scratch = try Scratch()
        let (stegoPath, revealedPath) = (scratch.file("stego.dcm"), scratch.file("revealed.dcm"))
        let (hidden, _) = try Steganography.hide(
            secret: sample(pair.secret), cover: sample(pair.cover), certificate: Recipient.main.certificatePath,
            order: order, to: stegoPath)
        try Steganography.reveal(stegoPath, key: Recipient.main.key, to: revealedPath)
        #expect(try readBytes(revealedPath) == readBytes(sample(pair.secret)))

        // Same dataset, same geometry; only pixel values moved, by at most one.
        let cover = try DicomFile.read(sample(pair.cover)), stego = try DicomFile.read(stegoPath)
        #expect(stego.dataSet == cover.dataSet)
        #expect(stego.transferSyntax == .explicitVRLittleEndian)
        let (before, after) = (try cover.frame(0).samples, try stego.frame(0).samples)
        #expect(zip(before, after).allSatisfy { abs($0 - $1) <= 1 })
        #expect(hidden.changedSamples > hidden.usedSamples * 4 / 10 && hidden.changedSamples < hidden.usedSamples * 6 / 10)
    }

    @Test func compressedMultiFrameCoverIsWrittenUncompressed() throws {
        let scratch = try Scratch()
        let secret = Array("a small secret".utf8)
        let hidden = try Steganography.hide(secret, in: CoverImage.read(sample("emri_small_RLE.dcm")),
                                            for: Certificate(contentsOf: Recipient.main.certificatePath).publicKey,
                                            order: .keyed)
        let path = try scratch.write(hidden.encoded, to: "stego.dcm")
        let stego = try DicomFile.read(path)
        #expect(stego.transferSyntax == .explicitVRLittleEndian && stego.frameCount == 10)
        #expect(try Steganography.reveal(from: CoverImage.read(path), with: PrivateKey(contentsOf: Recipient.main.keyPath)) == secret)
    }

    /// 8-bit grey, 16-bit grey and 8-bit RGB PNG covers, each written back as the same kind of PNG.
    @Test(arguments: [(8, 1), (16, 1), (8, 3)], EmbeddingOrder.allCases)
    func pngCover(kind: (bitDepth: Int, channels: Int), order: EmbeddingOrder) throws {
        let scratch = try Scratch()
        let (width, height) = (700, kind.channels == 3 ? 180 : 500)
        let samples = testSamples(count: width * height * kind.channels, maximum: (1 << kind.bitDepth) - 1)
        let png = switch kind {
        case (16, _): try PNG.write(gray16: samples, width: width, height: height)
        case (_, 1): try PNG.write(gray8: samples.map { UInt8($0) }, width: width, height: height)
        default: try PNG.write(rgb8: samples.map { UInt8($0) }, width: width, height: height)
        }
        let coverPath = try scratch.write(png, to: "cover.png")
        let (stegoPath, revealedPath) = (scratch.file("stego.png"), scratch.file("revealed.dcm"))
        try Steganography.hide(secret: sample("emri_small_RLE.dcm"), cover: coverPath,
                               certificate: Recipient.main.certificatePath, order: order, to: stegoPath)
        try Steganography.reveal(stegoPath, key: Recipient.main.key, to: revealedPath)
        #expect(try readBytes(revealedPath) == readBytes(sample("emri_small_RLE.dcm")))

        let stego = try PNG.read(readBytes(stegoPath))
        #expect((stego.width, stego.height, stego.bitDepth, stego.channels) == (width, height, kind.bitDepth, kind.channels))
        #expect(zip(samples, stego.samples).allSatisfy { $0 | 1 == $1 | 1 })
        #expect(zip(samples, stego.samples).contains { $0 != $1 })
    }

    /// HighBit above BitsStored − 1: the stored value's LSB is bit 4 of the word, and the bits outside
    /// BitsStored (whatever they hold) are left alone.
    @Test func storedValueLSBIsNotWordBitZero() throws {
        let scratch = try Scratch()
        let (rows, columns) = (600, 600)
        var dataSet = DataSet([
            DataElement(tag: .sopClassUID, vr: .UI, string: "1.2.840.10008.5.1.4.1.1.7"),
            DataElement(tag: .sopInstanceUID, vr: .UI, string: "2.25.4242"),
            DataElement(tag: .samplesPerPixel, uint16s: [1]),
            DataElement(tag: .photometricInterpretation, vr: .CS, string: "MONOCHROME2"),
            DataElement(tag: .rows, uint16s: [UInt16(rows)]),
            DataElement(tag: .columns, uint16s: [UInt16(columns)]),
            DataElement(tag: .bitsAllocated, uint16s: [16]),
            DataElement(tag: .bitsStored, uint16s: [12]),
            DataElement(tag: .highBit, uint16s: [15]),
            DataElement(tag: .pixelRepresentation, uint16s: [0]),
        ])
        dataSet.set(.patientName, .PN, "Cover^Shifted")
        let words = testSamples(count: rows * columns, maximum: 0xFFFF)
        let coverPath = try scratch.write(
            DicomWriter.encodeFile(dataSet: dataSet, pixelData: words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            to: "cover.dcm")
        let stegoPath = scratch.file("stego.dcm")
        try Steganography.hide(secret: sample("emri_small_RLE.dcm"), cover: coverPath,
                               certificate: Recipient.main.certificatePath, order: .keyed, to: stegoPath)
        let stegoWords = wordValues(Array(try DicomFile.read(stegoPath).frame(0).bytes))
        #expect(zip(words, stegoWords).allSatisfy { ($0 ^ $1) & ~0x10 == 0 })
        #expect(zip(words, stegoWords).contains { $0 != $1 })
        try Steganography.reveal(stegoPath, key: Recipient.main.key, to: scratch.file("revealed.dcm"))
        #expect(try readBytes(scratch.file("revealed.dcm")) == readBytes(sample("emri_small_RLE.dcm")))
    }
}
