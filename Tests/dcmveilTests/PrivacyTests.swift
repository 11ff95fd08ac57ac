import Foundation
import Testing
import VeilTestSupport

/// What anyone can see in a protected output identifies no one (SPEC §2, issue 17), checked with
/// tools independent of the code under test: Tesseract's CLI reads the pixels (also after undoing
/// the Arnold map by brute force), zbarimg reads the QR, pydicom burns the text in.
@Suite(.serialized) struct PrivacyTests {
    /// Fake identifiers burned into the test images, and what OCR must not find of them.
    static let lines = ["DOE^JOHN", "MRN 40817263", "DOB 1961-04-12"]
    static let needles = ["DOE", "JOHN", "40817263", "1961"]

    /// Real grayscale images (MR, CR MONOCHROME1, enhanced CT with two frames) and a synthetic CT slice.
    static let grayscale = ["MR2_UNCR.dcm", "RG3_UNCR.dcm", "eCT_Supplemental.dcm", "synthetic-ct"]

    final class Scratch {
        let root = NSTemporaryDirectory() + "dcmveil-privacy-" + UUID().uuidString
        init() throws {
            try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
            try #require(Command.run("keygen", "--out", "keys", in: root).status == 0)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func burn(_ source: String, as name: String, at: String = "16,16") throws {
            let burned = try run("python3", [packageRoot + "/scripts/burn-text", source, root + "/in/" + name, "--at", at] + PrivacyTests.lines,
                                 mergingErrors: true)
            try #require(burned.status == 0, "burn-text: \(burned.output)")
        }

        /// What Tesseract reads in every rendering of `file`'s frames.
        func ocr(_ file: String, bruteForceArnold: Bool = false) throws -> String {
            let result = try run("python3", [packageRoot + "/scripts/ocr-probe", file] + (bruteForceArnold ? ["--brute-force-arnold"] : []))
            try #require(result.status == 0, "ocr-probe failed on \(file)")
            return result.output.uppercased()
        }
    }

    static func syntheticSlice(in scratch: Scratch) throws -> String {
        try #require(Command.run("sample", "--out", "ct", "--patients", "1", "--series", "1", "--slices", "1", in: scratch.root).status == 0)
        let slice = try #require(FileManager.default.enumerator(atPath: scratch.root + "/ct")?.compactMap { $0 as? String }.first { $0.hasSuffix(".dcm") })
        return scratch.root + "/ct/" + slice
    }

    @Test func burnedInTextIsUnreadableInProtectedGrayscaleImagesAndRestoresExactly() throws {
        let scratch = try Scratch()
        for name in Self.grayscale {
            let source = name == "synthetic-ct" ? try Self.syntheticSlice(in: scratch) : sample(name)
            // The synthetic slice's corner: text where a scanner writes it, over the air around the body.
            try scratch.burn(source, as: name == "synthetic-ct" ? "ct.dcm" : name, at: name == "synthetic-ct" ? "300,430" : "16,16")
        }
        for name in Self.grayscale {
            let original = try scratch.ocr(scratch.root + "/in/" + (name == "synthetic-ct" ? "ct.dcm" : name))
            #expect(Self.needles.filter { original.contains($0) }.count >= 2, "OCR should read the burned-in text in the original \(name): \(original)")
        }
        let protect = try Command.run(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "-q"], in: scratch.root)
        #expect(protect.status == 0, "\(protect.stderr)")
        let manifest = try String(contentsOfFile: scratch.root + "/out/manifest.jsonl", encoding: .utf8)
        let records = manifest.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == Self.grayscale.count)
        for record in records {
            let input = record["input"] as? String ?? "?"
            #expect(record["status"] as? String == "protected", "\(input): \(record["reason"] ?? "")")
            let frames = record["frames"] as? [[String: Any]] ?? []
            #expect(frames.allSatisfy { !(($0["text_regions"] as? [[Int]]) ?? []).isEmpty }, "\(input): text regions recorded per frame")
            let output = scratch.root + "/out/" + (record["output"] as? String ?? "")
            for brute in [false, true] {
                let read = try scratch.ocr(output, bruteForceArnold: brute)
                let leaked = Self.needles.filter { read.contains($0) }
                #expect(leaked.isEmpty, "\(input)\(brute ? " after the Arnold brute force" : ""): OCR reads \(leaked) in the protected image")
            }
            // The marks tell the truth: examined, hidden, QR without identifiers.
            let dump = try run("dcmdump", ["+P", "0028,0301", "+P", "0012,0062", "+P", "0008,0100", output]).output
            #expect(dump.contains("(0028,0301) CS [NO]") || dump.contains("(0028,0301) CS (no value"), "\(input): \(dump)")
            #expect(dump.contains("(0012,0062) CS [YES]"))
            #expect(dump.contains("[113101]"), "\(input): Clean Pixel Data Option claimed")
        }
        // Restore gives every original back byte for byte, under its original name.
        let restore = try Command.run(["restore", "out", "--out", "restored", "--key", "keys/private-key.pem", "-q"], in: scratch.root)
        #expect(restore.status == 0, "\(restore.stderr)")
        for name in Self.grayscale.map({ $0 == "synthetic-ct" ? "ct.dcm" : $0 }) {
            let original = try readBytes(scratch.root + "/in/" + name)
            let restored = try readBytes(scratch.root + "/restored/" + name)
            #expect(original == restored, "\(name) restores byte for byte")
        }
    }

    /// Colour images: the text is found on the brightness view and hidden in every plane.
    @Test func burnedInTextIsUnreadableInProtectedColourImages() throws {
        let scratch = try Scratch()
        try scratch.burn(sample("US1_UNCR.dcm"), as: "us.dcm", at: "200,40")  // clear of the scanner's own text
        let original = try scratch.ocr(scratch.root + "/in/us.dcm")
        #expect(Self.needles.filter { original.contains($0) }.count >= 2, "OCR should read the burned-in text in the original: \(original)")
        let protect = try Command.run(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "-q"], in: scratch.root)
        #expect(protect.status == 0, "\(protect.stderr)")
        let outputs = FileManager.default.enumerator(atPath: scratch.root + "/out")?.compactMap({ $0 as? String }).filter({ $0.hasSuffix(".dcm") }) ?? []
        #expect(outputs.count == 1)
        for output in outputs {
            for brute in [false, true] {
                let read = try scratch.ocr(scratch.root + "/out/" + output, bruteForceArnold: brute)
                #expect(!Self.needles.contains { read.contains($0) }, "\(read)")
            }
        }
        let restore = try Command.run(["restore", "out", "--out", "restored", "--key", "keys/private-key.pem", "-q"], in: scratch.root)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try readBytes(scratch.root + "/in/us.dcm") == readBytes(scratch.root + "/restored/us.dcm"))
    }

    @Test func theQRsReadableLinesCarryNoIdentifierOfTheOriginal() throws {
        let scratch = try Scratch()
        try #require(Command.run("sample", "--out", "in", "--patients", "2", "--series", "1", "--slices", "1", in: scratch.root).status == 0)
        #expect(try Command.run(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "-q"], in: scratch.root).status == 0)
        #expect(try Command.run(["protect", "in", "--out", "paper", "--cert", "keys/certificate.pem", "-q", "--config", "paper.json"], in: scratch.root,
                                environment: [:]).status == 64, "no config file yet: a usage error")
        try Data(#"{"qr": {"preset": "paper"}}"#.utf8).write(to: URL(fileURLWithPath: scratch.root + "/paper.json"))
        #expect(try Command.run(["protect", "in", "--out", "paper", "--cert", "keys/certificate.pem", "-q", "--config", "paper.json"], in: scratch.root).status == 0)

        let inputs = FileManager.default.enumerator(atPath: scratch.root + "/in")!.compactMap { $0 as? String }.filter { $0.hasSuffix(".dcm") }
        #expect(inputs.count == 2)
        var identifiers: Set<String> = []
        for input in inputs {
            let values = try run("python3", ["-c", """
                import pydicom, sys
                ds = pydicom.dcmread(sys.argv[1])
                for k in ["PatientName", "PatientID", "PatientBirthDate", "InstitutionName", "ReferringPhysicianName",
                          "StudyDate", "AccessionNumber", "OtherPatientIDs"]:
                    v = str(ds.get(k, "") or "")
                    for part in v.replace("^", " ").split():
                        if len(part) >= 4: print(part)
                """, scratch.root + "/in/" + input]).output
            identifiers.formUnion(values.split(separator: "\n").map(String.init))
        }
        #expect(identifiers.count >= 6)
        func qrText(_ directory: String) throws -> [String] {
            let outputs = FileManager.default.enumerator(atPath: scratch.root + "/" + directory)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".dcm") }
            return try outputs.map { output in
                let png = scratch.root + "/qr.png"
                // Rendered as a viewer would: the image's first window.
                #expect(try run("dcmj2pnm", ["--write-png", "+Wi", "1", scratch.root + "/" + directory + "/" + output, png]).status == 0)
                let scanned = try run("zbarimg", ["-q", "--raw", png])
                #expect(scanned.status == 0, "zbarimg finds the QR in \(output)")
                return scanned.output
            }
        }
        for text in try qrText("out") {
            #expect(text.contains("DCMVEIL PROTECTED IMAGE"))
            let leaked = identifiers.filter { text.contains($0) }
            #expect(leaked.isEmpty, "the default QR shows \(leaked.sorted()): \(text)")
        }
        // The paper's preset shows identifiers, and the marks then say so.
        #expect(try qrText("paper").contains { text in identifiers.contains { text.contains($0) } })
        let paperOutput = try #require(FileManager.default.enumerator(atPath: scratch.root + "/paper")!.compactMap { $0 as? String }.first { $0.hasSuffix(".dcm") })
        let dump = try run("dcmdump", ["+P", "0012,0062", "+P", "0028,0301", scratch.root + "/paper/" + paperOutput]).output
        #expect(dump.contains("(0012,0062) CS [NO]"), "\(dump)")
    }

    @Test func anOutputTreeHoldsNoSecretAndRestoreGivesBackTheOriginalTree() throws {
        let scratch = try Scratch()
        try #require(Command.run("sample", "--out", "in", "--patients", "2", "--series", "1", "--slices", "2", in: scratch.root).status == 0)
        #expect(try Command.run(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "-q"], in: scratch.root).status == 0)
        let outputs = FileManager.default.enumerator(atPath: scratch.root + "/out")!.compactMap { $0 as? String }
        #expect(!outputs.contains { $0.contains("site-secret") }, "no secret in the output tree")
        let dicom = outputs.filter { $0.hasSuffix(".dcm") }
        #expect(dicom.count == 4)
        #expect(dicom.allSatisfy { $0.hasPrefix("2.25.") && $0.split(separator: "/").count == 3 }, "uids layout by default: \(dicom)")
        let secret = try FileManager.default.attributesOfItem(atPath: scratch.root + "/operator-state/site-secret")
        #expect((secret[.posixPermissions] as? Int) == 0o600)
        // A second output of the same operator replaces UIDs the same way.
        #expect(try Command.run(["protect", "in", "--out", "again", "--cert", "keys/certificate.pem", "-q"], in: scratch.root).status == 0)
        let again = FileManager.default.enumerator(atPath: scratch.root + "/again")!.compactMap { $0 as? String }.filter { $0.hasSuffix(".dcm") }
        #expect(Set(again) == Set(dicom))

        #expect(try Command.run(["restore", "out", "--out", "restored", "--key", "keys/private-key.pem", "-q"], in: scratch.root).status == 0)
        let originals = FileManager.default.enumerator(atPath: scratch.root + "/in")!.compactMap { $0 as? String }.filter { $0.hasSuffix(".dcm") }
        #expect(originals.count == 4)
        for name in originals {
            #expect(try readBytes(scratch.root + "/in/" + name) == readBytes(scratch.root + "/restored/" + name), "\(name) back under its original path")
        }
    }
}
