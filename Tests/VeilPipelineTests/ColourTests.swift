import Foundation
import Testing
import VeilCrypto
import VeilDICOM
@testable import VeilPipeline
import VeilTestSupport

/// Colour (RGB, YBR; uncompressed, JPEG, JPEG 2000), palette (8- and 16-bit, segmented) and the
/// header-only kinds, on real files from pydicom's test data (.samples/colour, scripts/fetch-colour-samples):
/// protected and restored byte for byte, read back by pydicom, the QR scanned from DCMTK's rendering.
@Suite(.serialized) struct ColourTests {
    static let directory = samplesDirectory + "/colour"
    static func colourSample(_ name: String) -> String { "\(directory)/\(name)" }

    /// Files whose pixels are protected.
    static let protectedNames = [
        "US1_J2KR.dcm",            // RGB → JPEG 2000 lossless (YBR_RCT)
        "US1_J2KI.dcm",            // JPEG 2000 lossy (YBR_ICT)
        "examples_ybr_color.dcm",  // JPEG baseline YBR_FULL_422, 30-frame cine
        "OBXXXX1A.dcm",            // PALETTE COLOR, 8-bit indices, 16-bit table
        "examples_palette.dcm",    // PALETTE COLOR, 8-bit
        "gdcm-US-ALOKA-16.dcm",    // PALETTE COLOR, 16-bit indices, segmented tables, Implicit VR
        "693_J2KR.dcm",            // grayscale JPEG 2000 lossless, signed
    ]
    /// Files that are header-only, with a word of the reason.
    static let headerOnly: [(String, String)] = [
        ("liver_1frame.dcm", "1-bit"), ("rtdose_1frame.dcm", "32-bit"), ("MR_small_bigendian.dcm", "too small"),
        ("MR_small_implicit.dcm", "too small"), ("ExplVR_BigEnd.dcm", "too small"), ("color-pl.dcm", "too small"),
        ("SC_ybr_full_422_uncompressed.dcm", "subsampled"),
    ]

    @Test func samplesArePresent() {
        for name in Self.protectedNames + Self.headerOnly.map(\.0) {
            #expect(FileManager.default.fileExists(atPath: Self.colourSample(name)), "run scripts/fetch-samples: \(name) missing")
        }
    }

    @Test(arguments: protectedNames + ["US1_UNCR"])
    func protectsAndRestoresByteForByte(name: String) throws {
        let path = name == "US1_UNCR" ? sample("US1_UNCR.dcm") : Self.colourSample(name)
        let original = try DicomFile.read(path)
        let protected = try makeProtector().protect(original)
        #expect(protected.report.headerOnlyReason == nil, "\(name): \(protected.report.headerOnlyReason ?? "")")
        let output = try DicomFile(bytes: protected.fileBytes, name: "protected")
        #expect(!output.transferSyntax.isEncapsulated, "protected pixels are written uncompressed")
        #expect(try output.frame(0).bytes != original.frame(0).bytes)
        let restored = try InstanceRestorer(key: testKeys.key).restore(output)
        #expect(restored.byteExact)
        #expect(restored.fileBytes == original.originalBytes(), "\(name): the restored file is the original")
    }

    @Test(arguments: headerOnly)
    func headerOnlyKeepsThePixelsAsTheyCame(name: String, reason: String) throws {
        let original = try DicomFile.read(Self.colourSample(name))
        let protected = try makeProtector().protect(original)
        #expect(protected.report.headerOnlyReason?.contains(reason) == true, "\(name): \(protected.report.headerOnlyReason ?? "protected")")
        let output = try DicomFile(bytes: protected.fileBytes, name: "protected")
        #expect(try output.pixelElement() == original.pixelElement())
        let restored = try InstanceRestorer(key: testKeys.key).restore(output)
        #expect(restored.fileBytes == original.originalBytes())
    }

    @Test(arguments: ["emri_small_RLE.dcm", "emri_small_jpeg_ls_lossless.dcm"])
    func encapsulatedHeaderOnlyStaysEncapsulated(name: String) throws {
        // Frames too small for a QR: the output keeps the compressed fragments in their transfer syntax.
        let original = try DicomFile.read(sample(name))
        let protected = try makeProtector().protect(original)
        #expect(protected.report.headerOnlyReason != nil)
        let output = try DicomFile(bytes: protected.fileBytes, name: "protected")
        #expect(output.transferSyntax == original.transferSyntax)
        #expect(try output.pixelElement() == original.pixelElement())
        #expect(try output.frame(0).bytes == original.frame(0).bytes)
    }

    /// With every private element stripped (no restoration record), the pixels still restore: pydicom
    /// reads the restored pixels as equal to the original's decoded values — pydicom's own decoding for
    /// lossless inputs and JPEG 2000, DCMTK's `dcmdjpeg` output for lossy JPEG (JPEG decoders differ).
    @Test(.enabled(if: toolExists("python3") && toolExists("dcmdjpeg")))
    func strippedPrivateElementsStillRestoreThePixels() throws {
        try withTemporaryDirectory { directory in
            var pairs: [String] = []
            for name in Self.protectedNames {
                let original = try DicomFile.read(Self.colourSample(name))
                let protected = try makeProtector().protect(original)
                let stripped = directory + "/stripped-" + name
                try write(protected.fileBytes, to: directory + "/protected-" + name)
                #expect(try run("python3", ["-c", Self.stripPrivate, directory + "/protected-" + name, stripped]).status == 0)
                let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile.read(stripped))
                #expect(restored.pixelsRestored)
                #expect(!restored.byteExact)
                try write(restored.fileBytes, to: directory + "/restored-" + name)
                var reference = Self.colourSample(name)
                if original.transferSyntax.uid.hasPrefix("1.2.840.10008.1.2.4.5") {
                    reference = directory + "/dcmtk-" + name
                    #expect(try run("dcmdjpeg", [Self.colourSample(name), reference]).status == 0)
                }
                pairs += [reference, directory + "/restored-" + name]
            }
            let result = try run("python3", ["-c", Self.comparePixels] + pairs, mergingErrors: true)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    /// Colour models made from the RGB sample with pydicom: YBR_FULL uncompressed, planar configuration
    /// 1, and an RGB JPEG (DCMTK's `dcmcjpeg +cr`); each protected and restored byte for byte.
    @Test(.enabled(if: toolExists("python3") && toolExists("dcmcjpeg")))
    func otherColourLayoutsRestoreByteForByte() throws {
        try withTemporaryDirectory { directory in
            let source = sample("US1_UNCR.dcm")
            #expect(try run("python3", ["-c", Self.makeLayouts, source, directory], mergingErrors: true).status == 0)
            #expect(try run("dcmcjpeg", ["+eb", "+cr", source, directory + "/rgb-jpeg.dcm"]).status == 0)
            // The layouts are the subject here, not the scanner's text: with its text regions hidden
            // too, the lossy JPEG copy's payload no longer fits (see README, "What each input becomes").
            var configuration = ProtectionConfiguration()
            configuration.textRegions.detect = "never"
            for name in ["ybr-full.dcm", "planar.dcm", "rgb-jpeg.dcm"] {
                let original = try DicomFile.read(directory + "/" + name)
                let protected = try makeProtector(configuration).protect(original)
                #expect(protected.report.headerOnlyReason == nil, "\(name)")
                let restored = try InstanceRestorer(key: testKeys.key).restore(try DicomFile(bytes: protected.fileBytes, name: name))
                #expect(restored.fileBytes == original.originalBytes(), "\(name)")
            }
        }
    }

    /// DCMTK renders the protected colour and palette images; zbar reads the QR from the PNG.
    @Test(.enabled(if: toolExists("dcmj2pnm") && toolExists("zbarimg")),
          arguments: ["US1_J2KR.dcm", "examples_ybr_color.dcm", "OBXXXX1A.dcm"])
    func zbarReadsTheQRFromDCMTKsRendering(name: String) throws {
        try withTemporaryDirectory { directory in
            let protected = try makeProtector().protect(try DicomFile.read(Self.colourSample(name)))
            try write(protected.fileBytes, to: directory + "/protected.dcm")
            #expect(try run("dcmj2pnm", ["+on", "+F", "3", directory + "/protected.dcm", directory + "/protected.png"]).status == 0
                    || run("dcmj2pnm", ["+on", directory + "/protected.dcm", directory + "/protected.png"]).status == 0)
            let scan = try run("zbarimg", ["--raw", "-q", directory + "/protected.png"])
            #expect(scan.status == 0)
            #expect(scan.output.contains(BasicInformation.title))
            #expect(scan.output.contains("\nDV1/"))
        }
    }

    static let stripPrivate = """
        import sys, pydicom
        d = pydicom.dcmread(sys.argv[1]); d.remove_private_tags(); d.save_as(sys.argv[2])
        """

    static let comparePixels = """
        import sys, pydicom, numpy as np
        args = sys.argv[1:]
        bad = []
        for reference, restored in zip(args[0::2], args[1::2]):
            a, b = pydicom.dcmread(reference), pydicom.dcmread(restored)
            pa, pb = a.pixel_array, b.pixel_array
            if a.PhotometricInterpretation.startswith("YBR") and b.PhotometricInterpretation == "RGB" and "2000" not in a.file_meta.TransferSyntaxUID.name:
                pa = pydicom.pixels.convert_color_space(pa, a.PhotometricInterpretation, "RGB")
            if not np.array_equal(pa, pb):
                bad.append(f"{restored}: differs from {reference} (max {np.abs(pa.astype(int) - pb.astype(int)).max()})")
        print("\\n".join(bad)); sys.exit(1 if bad else 0)
        """

    static let makeLayouts = """
        import sys, pydicom, numpy as np
        from pydicom.pixels import convert_color_space
        source, directory = sys.argv[1], sys.argv[2]
        d = pydicom.dcmread(source); rgb = d.pixel_array
        y = pydicom.dcmread(source)
        y.PixelData = convert_color_space(rgb, "RGB", "YBR_FULL").astype(np.uint8).tobytes()
        y.PhotometricInterpretation = "YBR_FULL"; y.save_as(directory + "/ybr-full.dcm")
        p = pydicom.dcmread(source)
        p.PixelData = np.ascontiguousarray(rgb.transpose(2, 0, 1)).tobytes(); p.PlanarConfiguration = 1
        p.save_as(directory + "/planar.dcm")
        """
}
