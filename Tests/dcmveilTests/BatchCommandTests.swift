import Foundation
import Testing
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `protect`, `restore`, `verify` and `manifest diff` end to end, on the built binary.
@Suite(.serialized) struct BatchCommandTests {
    @Test func protectRecordsEveryInputAndARerunChangesNothing() throws {
        let workspace = try Workspace()
        let first = try workspace.protect("out")
        #expect(first.status == 2, "the truncated file fails: \(first.stderr)")
        let manifest = try workspace.read("out/manifest.jsonl")
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines.filter { $0.contains(#""status":"protected""#) }.count == 4)
        #expect(lines.contains { $0.contains(#""input":"in/notes.txt","status":"skipped","reason":"not a DICOM file""#) })
        #expect(lines.contains { $0.contains(#""input":"in/truncated.dcm","status":"failed","reason":"truncated DICOM file"#) })
        #expect(lines.contains { $0.contains(#""input":"in/links/up","status":"skipped""#) })
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"input":"#) })
        #expect(first.stderr.contains("4 protected, 0 header-only, 2 skipped, 1 failed"))

        let outputs = try workspace.files(under: "out/SAMPLE-CT")
        #expect(outputs.count == 4)
        let before = try outputs.map(workspace.identity)
        let second = try workspace.protect("out")
        #expect(second.status == 2)
        #expect(second.stderr.contains("5 unchanged"), "4 outputs and the skipped notes.txt")
        #expect(try workspace.read("out/manifest.jsonl") == manifest)
        #expect(try outputs.map(workspace.identity) == before)
        #expect(try workspace.files(under: "out").filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(try workspace.read("out/run.json").contains(#""unchanged" : 5"#))
        // The site secret is the operator's, outside the output tree.
        let secret = try FileManager.default.attributesOfItem(atPath: workspace.root + "/operator-state/site-secret")
        #expect((secret[.posixPermissions] as? Int) == 0o600)
        #expect(try workspace.files(under: "out").allSatisfy { !$0.contains("site-secret") })
    }

    @Test func killedRunThenRerunEndsLikeACleanRun() throws {
        let workspace = try Workspace(slices: 6)
        #expect(try workspace.protect("clean").status == 2)

        let process = try Command.start(["protect", "in", "--out", "killed", "--cert", "keys/certificate.pem", "--jobs", "1", "--layout", "mirror"],
                                        in: workspace.root, capture: false)
        let journal = workspace.root + "/killed/.dcmveil/journal.jsonl"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let lines = (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 2 { break }
            usleep(20_000)
        }
        #expect(process.isRunning, "the run finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try workspace.read("killed/.dcmveil/journal.jsonl").split(separator: "\n").count >= 2)

        let rerun = try workspace.protect("killed")
        #expect(rerun.status == 2)
        #expect(comparable(try workspace.read("killed/manifest.jsonl")) == comparable(try workspace.read("clean/manifest.jsonl")))
        let names = { (directory: String) in try workspace.files(under: directory).map { $0.dropFirst(directory.count) }.filter { !$0.contains("/.dcmveil/") && !$0.hasSuffix("run.json") } }
        #expect(try names("killed") == names("clean"))
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try workspace.files(under: "killed").filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(try Command.run("verify", "killed", "--key", "keys/private-key.pem", in: workspace.root).status == 0)
    }

    @Test func aSecondRunOnTheSameOutputIsRefused() throws {
        let workspace = try Workspace(slices: 1)
        try FileManager.default.createDirectory(atPath: workspace.root + "/out/.dcmveil", withIntermediateDirectories: true)
        let descriptor = open(workspace.root + "/out/.dcmveil/lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        defer { close(descriptor) }
        let refused = try workspace.protect("out")
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("another dcmveil run"))
        #expect(refused.stderr.contains("out/.dcmveil/lock"))
    }

    @Test func verifyPassesOnAGoodTreeAndNamesEachProblem() throws {
        let workspace = try Workspace(slices: 3)
        #expect(try workspace.protect("out").status == 2)
        let good = try Command.run("verify", "out", "--key", "keys/private-key.pem", in: workspace.root)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stderr.contains("3 restored in memory: OK"))

        let outputs = try workspace.files(under: "out/SAMPLE-CT")
        let flipped = try FileHandle(forUpdating: URL(fileURLWithPath: workspace.root + "/" + outputs[0]))
        try flipped.seek(toOffset: 4000)
        let byte = try flipped.read(upToCount: 1)![0]
        try flipped.seek(toOffset: 4000)
        try flipped.write(contentsOf: [byte ^ 0x01])
        try flipped.close()
        try FileManager.default.removeItem(atPath: workspace.root + "/" + outputs[1])
        try Data("stray".utf8).write(to: URL(fileURLWithPath: workspace.root + "/out/stray.dcm"))

        let bad = try Command.run("verify", "out", in: workspace.root)
        #expect(bad.status == 1)
        let problems = bad.stdout.split(separator: "\n")
        #expect(problems.count == 3, "\(bad.stdout)")
        #expect(problems.contains { $0.hasPrefix(outputs[0]) && $0.contains("SHA-256 differs") })
        #expect(problems.contains { $0.hasPrefix(outputs[1]) && $0.contains("No such file") })
        #expect(problems.contains { $0 == "out/stray.dcm: not in the manifest" })
    }

    @Test func restoreGivesBackTheOriginalsAndManifestDiffShowsAChange() throws {
        let workspace = try Workspace(slices: 2)
        #expect(try workspace.protect("out").status == 2)
        let restored = try Command.run("restore", "out", "--out", "back", "--key", "keys/private-key.pem", in: workspace.root)
        #expect(restored.status == 0, "\(restored.stderr)")
        let manifest = try workspace.read("back/manifest.jsonl")
        #expect(manifest.split(separator: "\n").count == 2)
        #expect(manifest.split(separator: "\n").allSatisfy { $0.contains(#""status":"restored""#) && $0.hasSuffix(#""byte_exact":true}"#) })
        for original in try workspace.files(under: "in/SAMPLE-CT") {
            let back = "back/" + original.dropFirst("in/".count)
            #expect(FileManager.default.contentsEqual(atPath: workspace.root + "/" + original, andPath: workspace.root + "/" + back))
        }
        #expect(try Command.run("verify", "back", in: workspace.root).status == 0)

        try FileManager.default.copyItem(atPath: workspace.root + "/out/manifest.jsonl", toPath: workspace.root + "/before.jsonl")
        let changed = try #require(try workspace.files(under: "in/SAMPLE-CT").first)
        try Data("no longer DICOM".utf8).write(to: URL(fileURLWithPath: workspace.root + "/" + changed))
        #expect(try workspace.protect("out").status == 2)
        let diff = try Command.run("manifest", "diff", "before.jsonl", "out", in: workspace.root)
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("~ \(changed): status: \"protected\" -> \"skipped\"; reason: null -> \"not a DICOM file\""))
        #expect(diff.stdout.hasSuffix("0 added, 0 removed, 1 changed\n"))
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/out/" + changed.dropFirst("in/".count)))
        #expect(try Command.run("verify", "out", in: workspace.root).status == 0)
        #expect(try Command.run("manifest", "diff", "out", "out/manifest.jsonl", in: workspace.root).status == 0)
    }

    @Test func usageErrorsExitWith64AndNameTheFile() throws {
        let workspace = try Workspace(slices: 1)
        let certificate = try Command.run("protect", "in", "--out", "out", "--cert", "keys/missing.pem", in: workspace.root)
        #expect(certificate.status == 64)
        #expect(certificate.stderr.contains("keys/missing.pem"))
        try Data("{\"engine\": {\"scramble\": \"rot13\"}}".utf8).write(to: URL(fileURLWithPath: workspace.root + "/bad.json"))
        let configuration = try workspace.protect("out", "--config", "bad.json")
        #expect(configuration.status == 64)
        #expect(configuration.stderr.contains("bad.json"))
        let input = try Command.run("protect", "nowhere", "--out", "out", "--cert", "keys/certificate.pem", in: workspace.root)
        #expect(input.status == 64)
        #expect(input.stderr.contains("nowhere: no such file or directory"))
        let dryRun = try workspace.protect("dry", "--dry-run")
        #expect(dryRun.status == 2)
        #expect(dryRun.stderr.contains("1 would be processed"))
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/dry"))
    }
}
