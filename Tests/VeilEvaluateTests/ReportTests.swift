import Foundation
import Testing
import VeilCrypto
@testable import VeilEvaluate
import VeilSample

/// One synthetic CT slice evaluated in the paper's 8-bit setting, once for the whole suite.
let sampleReport: (directory: String, report: EvaluationReport) = {
    let root = NSTemporaryDirectory() + "dcmveil-evaluate-" + UUID().uuidString
    var tree = SampleTree()
    (tree.patients, tree.seriesPerStudy, tree.slicesPerSeries) = (1, 1, 1)
    let files = try! tree.write(to: root + "/input")
    let notDICOM = root + "/input/notes.txt"
    try! Data("not an image".utf8).write(to: URL(fileURLWithPath: notDICOM))
    let key = try! PrivateKey.generateRSA()
    let evaluator = Evaluator(recipient: try! Certificate.selfSigned(key: key, commonName: "evaluate test"), key: key, eightBit: true)
    let settings = EvaluationSettings(eightBit: true, keyDescription: "test key", generated: "now")
    let report = try! EvaluationReport.run(files + [notDICOM], evaluator: evaluator, settings: settings, into: root + "/report")
    return (root + "/report", report)
}()

@Test func metricsJSONHasTheSchema() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: sampleReport.directory + "/metrics.json"))
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let images = try #require(document["images"] as? [[String: Any]])
    #expect(images.count == 1)
    let image = try #require(images.first)

    #expect(image["input"] is String)
    #expect(image["frame"] as? Int == 1)
    for name in ["protected", "intermediate", "unauthorized_key_region"] {
        let psnr = try #require(image["psnr_\(name)"] as? Double, "psnr_\(name)")
        let ssim = try #require(image["ssim_\(name)"] as? Double, "ssim_\(name)")
        #expect(psnr.isFinite && psnr > 0 && (-1...1).contains(ssim), "\(name)")
    }
    for name in ["restored", "authorized_key_region"] {
        #expect(image["psnr_\(name)"] as? String == "inf")
        #expect(image["ssim_\(name)"] as? Double == 1)
    }
    let displayed = try #require(image["displayed"] as? [String: Any])
    #expect(displayed["psnr_restored"] as? String == "inf")
    #expect(displayed["psnr_protected"] as? Double == image["psnr_protected"] as? Double, "8-bit: displayed = stored")

    for name in ["payload_bytes", "capacity_bits", "texture_blocks", "qr_version"] {
        #expect((image[name] as? Int ?? 0) > 0, "\(name)")
    }
    #expect((image["protect_ms"] as? Double ?? 0) > 0 && (image["restore_ms"] as? Double ?? 0) > 0)
    let parameters = try #require(image["parameters"] as? [String: Any])
    #expect(parameters["t"] is Int && parameters["p"] is Int && parameters["q"] is Int && parameters["passes"] is Int)
    let region = try #require(parameters["key_region"] as? [String: Int])
    #expect(Set(region.keys) == ["x", "y", "width", "height"])

    let sweep = try #require(image["threshold_sweep"] as? [[String: Any]])
    #expect(sweep.map { $0["t"] as? Int } == Array(stride(from: 5, through: 50, by: 5)))
    for point in sweep {
        let fits = point["psnr"] is Double
        #expect(fits ? point["ssim"] is Double : point["psnr"] is NSNull && point["ssim"] is NSNull && point["failure"] is String)
    }

    let skipped = try #require(document["skipped"] as? [[String: String]])
    #expect(skipped.count == 1 && skipped[0]["input"]?.hasSuffix("notes.txt") == true && skipped[0]["reason"] != nil)
}

@Test func theMethodBehavesAsThePaperSays() throws {
    let image = try #require(sampleReport.report.images.first)
    #expect(image.stored.restored == Quality(psnr: .infinity, ssim: 1))
    #expect(image.stored.authorizedKeyRegion == Quality(psnr: .infinity, ssim: 1))
    #expect(image.stored.unauthorizedKeyRegion.psnr < 10 && abs(image.stored.unauthorizedKeyRegion.ssim) < 0.1)
    #expect(image.stored.protected.psnr < image.stored.intermediate.psnr)
    #expect(image.stored.protected.ssim < image.stored.intermediate.ssim)
}

@Test func csvHTMLAndPicturesAreWritten() throws {
    let directory = sampleReport.directory
    let csv = try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 2)
    let header = csv[0].split(separator: ",").map(String.init)
    let row = csv[1].split(separator: ",", omittingEmptySubsequences: false)
    #expect(header.count == row.count)
    #expect(header.contains("psnr_t50") && header.contains("ssim_t5") && header.contains("displayed_psnr_protected"))
    #expect(row[header.firstIndex(of: "psnr_restored")!] == "inf")

    let html = try String(contentsOfFile: directory + "/index.html", encoding: .utf8)
    let image = try #require(sampleReport.report.images.first)
    for picture in Picture.allCases {
        #expect(html.contains(#"src="\#(image.picture(picture))""#))
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + image.picture(picture)))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
    #expect(html.components(separatedBy: "<svg").count - 1 == 2)
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url("), "no network resources")
    #expect(html.contains("12.98–13.80 dB") && html.contains("notes.txt"))
}
