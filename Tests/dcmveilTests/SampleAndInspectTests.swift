import Foundation
import Testing
import VeilTestSupport

/// `dcmveil sample`, `keygen` and `inspect` through the built binary.
@Suite struct SampleAndInspectTests {
    @Test func sampleIsDeterministicAndReadableByIndependentTools() throws {
        let root = NSTemporaryDirectory() + "dcmveil-sample-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for name in ["a", "b"] {
            let result = try Command.run("sample", "--out", name, "--patients", "2", "--series", "1", "--slices", "2", "--seed", "7", in: root)
            #expect(result.status == 0)
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: root + "/a").filter { $0.hasSuffix(".dcm") }.sorted()
        #expect(files.count == 4)
        for file in files {
            #expect(FileManager.default.contentsEqual(atPath: root + "/a/" + file, andPath: root + "/b/" + file), "\(file)")
        }
        let other = try Command.run("sample", "--out", "c", "--patients", "2", "--series", "1", "--slices", "2", "--seed", "8", in: root)
        #expect(other.status == 0)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: root + "/c").filter { $0.hasSuffix(".dcm") } != files,
                "another seed gives other patients")

        let first = root + "/a/" + files[0]
        let dump = try run("dcmdump", [first])
        #expect(dump.status == 0 && dump.output.contains("(0010,0010) PN"))
        let python = try run("python3", ["-c", """
            import sys, pydicom
            d = pydicom.dcmread(sys.argv[1])
            a = d.pixel_array
            print(d.Modality, d.Rows, d.Columns, d.BitsStored, d.PixelRepresentation, a.dtype, int(a.min()) >= -2048, int(a.max()) <= 2047)
            """, first])
        #expect(python.output.trimmingCharacters(in: .whitespacesAndNewlines) == "CT 512 512 12 1 int16 True True")
    }

    @Test func inspectShowsTheQRWithoutAKeyAndChecksWithIt() throws {
        let root = NSTemporaryDirectory() + "dcmveil-inspect-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(try Command.run("keygen", "--out", "keys", in: root).status == 0)
        #expect(try Command.run("keygen", "--out", "other", in: root).status == 0)
        #expect(try Command.run("sample", "--out", "in", "--patients", "1", "--series", "1", "--slices", "1", in: root).status == 0)
        #expect(try Command.run("protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "--quiet", in: root).status == 0)
        let protected = try #require(try FileManager.default.subpathsOfDirectory(atPath: root + "/out").first { $0.hasSuffix(".dcm") })

        let open = try Command.run("inspect", "out/" + protected, in: root)
        #expect(open.status == 0)
        #expect(open.stdout.contains("DCMVEIL PROTECTED IMAGE"))
        #expect(open.stdout.contains("Image: CT"))
        #expect(!open.stdout.contains("PAT"), "the default lines carry no original identifier")
        #expect(open.stdout.contains("de-identified: YES"))
        #expect(!open.stdout.contains("key region"), "parameters need the key")

        let keyed = try Command.run("inspect", "out/" + protected, "--key", "keys/private-key.pem", "--json", in: root)
        #expect(keyed.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(keyed.stdout.utf8)) as? [String: Any])
        #expect(json["restore_check"] as? String == "ok")
        #expect(json["byte_exact"] as? Bool == true)
        let frames = try #require(json["qr_frames"] as? [[String: Any]])
        #expect((frames.first?["parameters"] as? [String: Any])?["key_region"] != nil)

        let wrong = try Command.run("inspect", "out/" + protected, "--key", "other/private-key.pem", in: root)
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("wrong key"))
    }
}

@Suite struct EvaluateCommandTests {
    @Test func evaluateWritesMetricsAndAReport() throws {
        let root = NSTemporaryDirectory() + "dcmveil-evaluate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(try Command.run("sample", "--out", "in", "--patients", "1", "--series", "1", "--slices", "1", in: root).status == 0)
        let result = try Command.run("evaluate", "in", "--report", "report", in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/report/metrics.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(json["images"] as? [[String: Any]])
        #expect(images.count == 1)
        let image = try #require(images.first)
        #expect(image["psnr_restored"] as? String == "inf")
        #expect(image["ssim_restored"] as? Double == 1)
        // As displayed (8 bits through the window, the paper's setting): the QR tells nothing of the region.
        let displayed = try #require(image["displayed"] as? [String: Any])
        #expect((displayed["psnr_unauthorized_key_region"] as? Double ?? 99) < 10)
        #expect(abs(displayed["ssim_unauthorized_key_region"] as? Double ?? 1) < 0.1)
        #expect((image["psnr_protected"] as? Double ?? 99) < (image["psnr_intermediate"] as? Double ?? 0))
        #expect((image["threshold_sweep"] as? [Any])?.count == 10)
        let html = try String(contentsOfFile: root + "/report/index.html", encoding: .utf8)
        #expect(html.contains("<svg"))
        for case let picture as String in (image["pictures"] as? [String: Any])?.values.map({ $0 }) ?? [] {
            #expect(FileManager.default.fileExists(atPath: root + "/report/" + picture), "\(picture)")
        }
        #expect(FileManager.default.fileExists(atPath: root + "/report/metrics.csv"))
    }
}
