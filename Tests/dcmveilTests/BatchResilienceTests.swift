import Foundation
import Testing
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What no input, disk or operator can do to a batch: a file that crashes the process, a full disk,
/// inputs deleted while the run is on them.
@Suite(.serialized) struct BatchResilienceTests {
    @Test func aFileThatCrashesARunIsRecordedAsFailedByTheNextRunWhichGoesOn() throws {
        let workspace = try Workspace(slices: 4)
        try FileManager.default.removeItem(atPath: workspace.root + "/in/truncated.dcm")  // so exit 2 is the crash's doing
        let slices = try workspace.files(under: "in/SAMPLE-CT")
        let trapped = slices[1]
        let hook = ["DCMVEIL_FAULT_TRAP_ON": String(trapped.split(separator: "/").last!)]

        let crashed = try workspace.protect("out", environment: hook)
        #expect(crashed.signal == SIGILL, "a Swift trap: \(crashed.status) \(crashed.stderr.suffix(2000))")
        #expect(crashed.stderr.contains("dcmveil: crashed while processing \(trapped)\n"))
        #expect(FileManager.default.fileExists(atPath: workspace.root + "/out/.dcmveil/crashes"))

        let second = try workspace.protect("out", environment: hook)
        #expect(second.status == 2, "partial failure: \(second.stderr)")
        #expect(second.stderr.contains("failed \(trapped): the previous run crashed on it"))
        #expect(second.stderr.contains("3 protected, 0 header-only, 2 skipped, 1 failed"))
        let manifest = try workspace.read("out/manifest.jsonl")
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 6)
        for slice in slices where slice != trapped {
            #expect(lines.contains { $0.hasPrefix(#"{"input":"\#(slice)","status":"protected""#) })
        }
        let hash = try #require(try Command.sha256(workspace.root + "/" + trapped))
        #expect(lines.contains {
            $0.hasPrefix(#"{"input":"\#(trapped)","status":"failed","reason":"the previous run crashed on it","input_sha256":"\#(hash)""#)
        })
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/out/.dcmveil/crashes"))
        #expect(!FileManager.default.fileExists(atPath: workspace.root + "/out/.dcmveil/journal.jsonl"))
        #expect(try Command.run("verify", "out", "--key", "keys/private-key.pem", in: workspace.root).status == 0)

        // Stable: not tried again (without the hook it would now be protected), the same manifest.
        let third = try workspace.protect("out")
        #expect(third.status == 2)
        #expect(third.stderr.contains("3 protected, 0 header-only, 2 skipped, 1 failed, 4 unchanged"))
        #expect(try workspace.read("out/manifest.jsonl") == manifest)

        // A changed input is tried again.
        try Data("no longer DICOM".utf8).write(to: URL(fileURLWithPath: workspace.root + "/" + trapped))
        let changed = try workspace.protect("out")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try workspace.read("out/manifest.jsonl").contains(#"{"input":"\#(trapped)","status":"skipped","reason":"not a DICOM file""#))
    }

    @Test func inputsDeletedDuringARunAreRecordedAndEveryCountAgrees() throws {
        let workspace = try Workspace(slices: 8)
        let slices = try workspace.files(under: "in/SAMPLE-CT")
        let process = try Command.start(["protect", "in", "--out", "out", "--cert", "keys/certificate.pem", "--jobs", "1", "--verbose", "--layout", "mirror"],
                                        in: workspace.root)
        // Once the first output is there the walk has listed the series and is at most two files further.
        let first = workspace.root + "/out/" + slices[0].dropFirst("in/".count)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning, !FileManager.default.fileExists(atPath: first) { usleep(5_000) }
        #expect(process.isRunning, "the run finished before inputs could be deleted")
        let deleted = Array(slices.suffix(3))
        for slice in deleted { try FileManager.default.removeItem(atPath: workspace.root + "/" + slice) }
        let run = Command.finish(process)

        #expect(run.status == 2, "\(run.stderr)")
        let lines = try workspace.read("out/manifest.jsonl").split(separator: "\n")
        #expect(lines.count == 11, "8 slices, notes.txt, truncated.dcm, links/up")
        for slice in deleted {
            #expect(lines.contains { $0.hasPrefix(#"{"input":"\#(slice)","status":"failed","reason":"disappeared during the run""#) })
            #expect(run.stderr.contains("failed \(slice): disappeared during the run"))
        }
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("protected ") || $0.hasPrefix("failed ") || $0.hasPrefix("skipped ") }.count == 11,
                "a progress line per input")
        #expect(run.stderr.contains("11 inputs in 3 series: 5 protected, 0 header-only, 2 skipped, 4 failed"))
        #expect(run.stderr.contains("3 inputs disappeared during the run (recorded as failed)"))
        #expect(!run.stderr.contains("counted at the start"))
        let summary = try JSONSerialization.jsonObject(with: Data(workspace.read("out/run.json").utf8)) as! [String: Any]
        #expect(summary["inputs"] as? Int == 11)
        #expect((summary["counts"] as? [String: Int])?["failed"] == 4)
        #expect(summary["disappeared_during_run"] as? [String] == deleted)
        #expect(try Command.run("verify", "out", in: workspace.root).status == 0)

        // The next run no longer finds them: inputs of the last manifest that are gone.
        let next = try workspace.protect("out")
        #expect(next.stderr.contains("3 inputs of the last manifest are gone"))
    }
    @Test(.enabled(if: SmallDisk.available, "needs permission to mount a tmpfs (run as root with CAP_SYS_ADMIN)"))
    func aFirstRunOnAFullDiskLeavesACompleteManifestOrNone() throws {
        // Never an empty or partial manifest.jsonl, whatever the room left.
        let workspace = try Workspace(slices: 2)
        let disk = try SmallDisk(at: workspace.root + "/disk", kilobytes: 2048)
        let manifest = workspace.root + "/disk/out/manifest.jsonl"
        var saidSo = false
        // Every amount of room from none to enough for the bookkeeping (the images never fit).
        for free in 0...12 {
            try? FileManager.default.removeItem(atPath: workspace.root + "/disk/out")
            try disk.leave(pages: free)
            let run = try workspace.protect("disk/out")
            if run.status == 2 {
                #expect(try workspace.read("disk/out/manifest.jsonl").split(separator: "\n").count == 5, "\(free) pages free")
                continue
            }
            // 64 when not even the site secret could be created (reported as a configuration problem).
            #expect([1, 64].contains(run.status), "\(free) pages free: \(run.stderr)")
            #expect(run.stderr.contains("No space left on device"))
            if FileManager.default.fileExists(atPath: manifest) {  // only run.json was missing
                #expect(try workspace.read("disk/out/manifest.jsonl").split(separator: "\n").count == 5, "\(free) pages free: \(run.stderr)")
            }
            if run.stderr.contains("disk/out/manifest.jsonl: cannot write (No space left on device); no manifest was written") { saidSo = true }
        }
        #expect(saidSo, "some amount of room let the run reach the manifest and no further")
    }

    @Test(.enabled(if: SmallDisk.available, "needs permission to mount a tmpfs (run as root with CAP_SYS_ADMIN)"))
    func aFullDiskNeverReplacesAGoodManifest() throws {
        let workspace = try Workspace(slices: 2)
        let disk = try SmallDisk(at: workspace.root + "/disk", kilobytes: 2048)
        #expect(try workspace.protect("disk/out").status == 2)
        let good = try workspace.read("disk/out/manifest.jsonl")
        try Data("new\n".utf8).write(to: URL(fileURLWithPath: workspace.root + "/in/new.txt"))
        var kept = false
        var finished = false
        for free in 0...12 {
            try disk.leave(pages: free)
            let run = try workspace.protect("disk/out")
            let now = try workspace.read("disk/out/manifest.jsonl")
            if run.status == 2 {
                #expect(now.split(separator: "\n").count == 6)
                #expect(now.contains(#"{"input":"in/new.txt","status":"skipped""#))
                finished = true
                break
            }
            #expect(run.status == 1, "\(free) pages free: \(run.stderr)")
            #expect(now == good, "\(free) pages free: the good manifest stays as it was")
            if run.stderr.contains("the last manifest is left as it was") { kept = true }
        }
        #expect(kept, "some amount of room let the run reach the manifest and no further")
        #expect(finished)
        #expect(try Command.run("verify", "disk/out", in: workspace.root).status == 0)
    }
}

/// A small tmpfs mounted for one test, which the test fills to leave an exact number of pages free
/// (tmpfs charges file data by the page, and nothing for directories).
final class SmallDisk {
    static let pageSize = 4096
    let path: String

    /// Whether this process may mount a tmpfs (root, and a container that allows it).
    static let available: Bool = {
        let probe = NSTemporaryDirectory() + "dcmveil-mount-probe-" + UUID().uuidString
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0 else {
            print("BatchResilienceTests: cannot mount a tmpfs (\(String(cString: strerror(errno)))): the full-disk tests are skipped")
            return false
        }
        umount2(probe, Int32(MNT_DETACH))
        return true
    }()

    init(at path: String, kilobytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k") == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    deinit { umount2(path, Int32(MNT_DETACH)) }

    /// Fills the disk with a filler file so that exactly `pages` pages stay free.
    func leave(pages: Int) throws {
        let filler = path + "/filler"
        unlink(filler)
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let page = [UInt8](repeating: 0xAA, count: Self.pageSize)
        var written = 0
        while page.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == Self.pageSize { written += 1 }
        try #require(errno == ENOSPC && written >= pages)
        try #require(ftruncate(descriptor, off_t((written - pages) * Self.pageSize)) == 0)
    }
}

extension Command {
    /// SHA-256 (hex) of a file, as `sha256sum` gives it.
    static func sha256(_ path: String) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init)
    }
}
