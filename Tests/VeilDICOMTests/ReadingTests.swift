import Foundation
import Testing
import VeilTestSupport
import VeilDICOM

@Suite("Reading and decoding")
struct ReadingTests {
    /// The parameterized tests below run once per sample: with none found they would pass vacuously.
    @Test func theSamplesArePresent() {
        #expect(sampleNames.count >= 8, "run scripts/fetch-samples: found \(sampleNames) in \(samplesDirectory)")
    }

    @Test("Every sample reads, and decodes or is refused with a typed error", arguments: sampleNames)
    func readsOrRefuses(name: String) throws {
        let file = try DicomFile.read(sample(name))
        #expect(file.hasPixelData)
        #expect(file.dataSet[.pixelData] == nil)
        #expect(file.dataSet.string(.sopInstanceUID) != nil)
        #expect(file.metaInformation.string(.transferSyntaxUID) == file.transferSyntax.uid)
        if file.transferSyntax.isDecodable {
            #expect(try file.frame(file.frameCount - 1).samples.count == file.geometry!.samplesPerFrame)
        } else {
            #expect(throws: DicomError.unsupportedTransferSyntax(
                path: sample(name), uid: file.transferSyntax.uid, name: file.transferSyntax.name)) {
                try file.frame(0)
            }
        }
    }

    @Test("JPEG 2000 decodes through OpenJPEG (values: matchesPydicom); a damaged codestream is a typed error")
    func jpeg2000() throws {
        let file = try DicomFile.read(sample("MR2_J2KR.dcm"))
        #expect(file.transferSyntax.uid == "1.2.840.10008.1.2.4.90")
        #expect(file.transferSyntax.isEncapsulated && file.transferSyntax.isDecodable && file.transferSyntax.isJPEG2000)
        #expect(file.geometry?.rows == 1024)
        #expect(try file.frame(0).samples.count == 1024 * 1024)
        // Damage the codestream in the middle of the fragments: decoding fails with the file's name.
        var bytes = file.originalBytes()
        let middle = bytes.count - 20_000
        for index in middle..<(middle + 4000) { bytes[index] = 0xFF }
        let damaged = try DicomFile(bytes: bytes, name: "damaged-j2k.dcm")
        do {
            _ = try damaged.frame(0)
        } catch {
            #expect(error.description.contains("damaged-j2k.dcm"))
        }
    }

    @Test("Geometry and stored values equal pydicom's", .enabled(if: PydicomReference.isAvailable),
          arguments: sampleNames)
    func matchesPydicom(name: String) throws {
        let file = try DicomFile.read(sample(name))
        let reference = try PydicomReference.of(sample(name))
        let geometry = try #require(file.geometry)
        #expect(geometry.rows == reference.rows)
        #expect(geometry.columns == reference.columns)
        #expect(geometry.frames == reference.frames)
        #expect(geometry.samplesPerPixel == reference.samplesPerPixel)
        #expect(geometry.bitsAllocated == reference.bitsAllocated)
        #expect(geometry.bitsStored == reference.bitsStored)
        #expect(geometry.highBit == reference.highBit)
        #expect(geometry.pixelRepresentation == reference.pixelRepresentation)
        #expect(geometry.photometricInterpretation == reference.photometricInterpretation)
        guard file.transferSyntax.isDecodable else { return }
        if reference.decoded {
            #expect(try file.allSamples() == reference.samples)
        } else {
            // pydicom has no JPEG-LS plugin here: the uncompressed twin has the same pixels.
            #expect(name.hasPrefix("emri_small"))
            #expect(try file.allSamples() == PydicomReference.of(sample("emri_small.dcm")).samples)
        }
    }

    @Test("Window and rescale attributes")
    func windowAndRescale() throws {
        let geometry = try #require(try DicomFile.read(sample("MR2_UNCR.dcm")).geometry)
        #expect(geometry.windowCenter == 1000)
        #expect(geometry.windowWidth == 2000)
        #expect(geometry.rescaleSlope == 3.774114)
        #expect(geometry.rescaleIntercept == 0.000061)
        #expect(geometry.sampleRange == 0...4095)
        // Enhanced CT keeps them in the shared functional groups.
        let enhanced = try #require(try DicomFile.read(sample("eCT_Supplemental.dcm")).geometry)
        #expect(enhanced.windowCenter == 49 && enhanced.windowWidth == 102)
        #expect(enhanced.rescaleIntercept == -1024 && enhanced.rescaleSlope == 1)
        let plain = try #require(try DicomFile.read(sample("emri_small.dcm")).geometry)
        #expect(plain.windowCenter == nil && plain.rescaleSlope == 1 && plain.rescaleIntercept == 0)
    }

    @Test("Samples unpack and pack per BitsStored and HighBit, signed or not")
    func samplePacking() throws {
        var geometry = try #require(try DicomFile.read(sample("emri_small.dcm")).geometry)
        (geometry.rows, geometry.columns, geometry.frames, geometry.pixelRepresentation) = (1, 3, 1, 1)
        // Signed values are canonical sign-extended (0xF800, 0xFFFF); masked negatives are not.
        let frame = PixelFrame(geometry: geometry, bytes: [0xFF, 0x07, 0x00, 0x08, 0xFF, 0x0F])
        #expect(frame.samples == [2047, -2048, -1])
        #expect(!frame.isCanonical)
        let packed = PixelFrame(geometry: geometry, samples: frame.samples)
        #expect(packed.bytes == [0xFF, 0x07, 0x00, 0xF8, 0xFF, 0xFF])
        #expect(packed.isCanonical)
        #expect(!PixelFrame(geometry: geometry, bytes: [0xFF, 0x17, 0x00, 0xF8, 0xFF, 0xFF]).isCanonical)  // a stray bit
        (geometry.bitsStored, geometry.highBit, geometry.pixelRepresentation) = (4, 7, 0)
        #expect(PixelFrame(geometry: geometry, bytes: [0xA5, 0x0F, 0x30, 0x00, 0x00, 0x00]).samples == [10, 3, 0])
    }

    @Test("Words unpack to stored values and pack back by the DICOM rule, for every word and bit layout")
    func everyWordUnpacksAndPacksByTheRule() throws {
        var geometry = try #require(try DicomFile.read(sample("emri_small.dcm")).geometry)
        let words = (0...0xFFFF).map { UInt32($0) }
        for bitsAllocated in [8, 16] {
            let count = bitsAllocated == 8 ? 256 : words.count
            let bytes = bitsAllocated == 8 ? words.prefix(256).map { UInt8($0) } : words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            for bitsStored in 1...bitsAllocated {
                for highBit in (bitsStored - 1)..<bitsAllocated {
                    for signed in [false, true] {
                        (geometry.rows, geometry.columns, geometry.frames) = (1, count, 1)
                        (geometry.bitsAllocated, geometry.bitsStored, geometry.highBit, geometry.pixelRepresentation) =
                            (bitsAllocated, bitsStored, highBit, signed ? 1 : 0)
                        let shift = highBit + 1 - bitsStored, mask = (1 << bitsStored) - 1
                        let expected = words.prefix(count).map { word -> Int32 in
                            let value = (Int(word) >> shift) & mask
                            return Int32(signed && value >= (1 << (bitsStored - 1)) ? value - (1 << bitsStored) : value)
                        }
                        let frame = PixelFrame(geometry: geometry, bytes: bytes)
                        #expect(frame.samples == expected, "\(bitsAllocated)/\(bitsStored)/\(highBit) signed \(signed)")
                        let packed = PixelFrame(geometry: geometry, samples: expected).bytes
                        let expectedBytes = expected.flatMap { sample -> [UInt8] in
                            let word = (signed ? Int(sample) : Int(sample) & mask) << shift
                            return bitsAllocated == 8 ? [UInt8(word & 0xFF)] : [UInt8(word & 0xFF), UInt8((word >> 8) & 0xFF)]
                        }
                        #expect(packed == expectedBytes, "\(bitsAllocated)/\(bitsStored)/\(highBit) signed \(signed)")
                    }
                }
            }
        }
    }

    @Test("Files in other syntaxes DCMTK makes decode to the same pixels", .enabled(if: toolExists("dcmconv")),
          arguments: [
              ("dcmconv", ["+tb"], "emri_small.dcm"), ("dcmconv", ["+td"], "emri_small.dcm"),
              ("dcmconv", ["+ti"], "emri_small.dcm"), ("dcmconv", ["-F", "+ti"], "emri_small.dcm"),
              ("dcmcjpeg", ["+el"], "emri_small.dcm"), ("dcmcrle", [], "US1_UNCR.dcm"),
          ])
    func otherSyntaxes(tool: String, options: [String], source: String) throws {
        try withTemporaryDirectory { directory throws in
            let converted = "\(directory)/converted.dcm"
            #expect(try run(tool, options + [sample(source), converted]).status == 0)
            #expect(try DicomFile.read(converted).allSamples() == DicomFile.read(sample(source)).allSamples())
        }
    }

    @Test("Lossy JPEG decodes to RGB with the right size", .enabled(if: toolExists("dcmcjpeg")))
    func lossyJPEG() throws {
        try withTemporaryDirectory { directory throws in
            let converted = "\(directory)/baseline.dcm"
            #expect(try run("dcmcjpeg", ["+eb", sample("US1_UNCR.dcm"), converted]).status == 0)
            let frame = try DicomFile.read(converted).frame(0)
            #expect(frame.geometry.photometricInterpretation == "RGB")
            #expect(frame.samples.count == 640 * 480 * 3)
        }
    }
}
