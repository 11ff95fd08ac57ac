import Foundation
import Testing
import VeilBatch

/// Protected outputs to a real archive and back: Orthanc on loopback, both protocols each way.
@Suite(.serialized, .enabled(if: OrthancServer.isInstalled, "Orthanc is not installed (scripts/setup installs orthanc and orthanc-dicomweb)"))
struct ArchiveRoundTripTests {
    @Test func sendsBothWaysFetchesBackAndRestoresExactly() throws {
        let workspace = try Workspace()
        let server = try OrthancServer()
        defer { server.stop() }
        try server.start()
        let originals = try workspace.hashes(under: "in")
        #expect(originals.count == 6)

        // C-STORE, then C-GET and restore.
        let dimse = try workspace.protect("dimse", "--send", server.dimseURL + "?calling=DCMVEIL")
        #expect(dimse.status == 0, "\(dimse.stderr)")
        #expect(dimse.stderr.contains("6 sent, 0 already sent, 0 not sent"))
        try expectArchive(server, holdsExactly: workspace.manifest("dimse"))
        let study = try #require(server.studyUIDs().first)
        let restoredDimse = try workspace.run("restore", "--from", server.dimseURL, "--study", study,
                                              "--out", "restored-dimse", "--key", "keys/private-key.pem")
        #expect(restoredDimse.status == 0, "\(restoredDimse.stderr)")
        #expect(try workspace.hashes(under: "restored-dimse") == originals)
        #expect(try workspace.manifest("restored-dimse").allSatisfy { $0.byteExact == true })

        // STOW-RS into an empty archive, then WADO-RS and restore.
        try server.clear()
        let web = try workspace.protect("web")
        #expect(web.status == 0)
        let sent = try workspace.run("send", "web", "--to", server.dicomWebURL)
        #expect(sent.status == 0, "\(sent.stderr)")
        try expectArchive(server, holdsExactly: workspace.manifest("web"))
        let webStudy = try #require(server.studyUIDs().first)
        let fetched = try workspace.run("fetch", server.dicomWebURL, "--study", webStudy, "--out", "fetched-web")
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(try workspace.hashes(under: "fetched-web") == workspace.manifest("web").compactMap(\.outputSHA256).sorted())
        let restoredWeb = try workspace.run("restore", "fetched-web", "--out", "restored-web", "--key", "keys/private-key.pem")
        #expect(restoredWeb.status == 0, "\(restoredWeb.stderr)")
        #expect(try workspace.hashes(under: "restored-web") == originals)
    }

    @Test func aDownArchiveLeavesUnsentRecordsAndARerunCompletes() throws {
        let workspace = try Workspace()
        let server = try OrthancServer()
        defer { server.stop() }

        // Nothing listens yet.
        let down = try workspace.protect("out", "--send", server.dimseURL, "--retries", "1", "--retry-delay", "0.05")
        #expect(down.status == 2)
        #expect(down.stderr.contains("\(server.aeTitle)@127.0.0.1:\(server.dicomPort): association failed"), "\(down.stderr)")
        #expect(down.stderr.contains("1-AXIAL 5MM SOFT TISSUE/1-001.dcm"), "the message names the file")
        #expect(down.stderr.contains("0 sent, 0 already sent, 6 not sent"))
        let unsent = try workspace.manifest("out")
        #expect(unsent.count == 6)
        #expect(unsent.allSatisfy { $0.sent == false && $0.sendError?.contains("Connection refused") == true })
        let web = try workspace.run("send", "out", "--to", server.dicomWebURL, "--retries", "0")
        #expect(web.status == 2)
        #expect(web.stderr.contains("\(server.dicomWebURL): request failed"), "\(web.stderr)")

        // The archive comes up: the rerun sends everything, the next one nothing.
        try server.start()
        let rerun = try workspace.run("send", "out", "--to", server.dimseURL)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("6 sent, 0 already sent, 0 not sent"))
        let again = try workspace.run("send", "out", "--to", server.dimseURL)
        #expect(again.stderr.contains("0 sent, 6 already sent, 0 not sent"))
        let records = try workspace.manifest("out")
        #expect(records.allSatisfy { $0.sent == true && $0.sendError == nil })
        try expectArchive(server, holdsExactly: records)
    }

    @Test func anOutputChangedSinceProtectIsNeverSent() throws {
        let workspace = try Workspace()
        #expect(try workspace.protect("out").status == 0)
        let record = try #require(workspace.manifest("out").first)
        let path = workspace.root + "/out/" + record.output!
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()

        // Port 1 on loopback: refused at once, so only the hash check can tell the records apart.
        let result = try workspace.run("send", "out", "--to", "dicom://ANY@127.0.0.1:1", "--retries", "0")
        #expect(result.status == 2)
        let changed = try #require(workspace.manifest("out").first { $0.input == record.input })
        #expect(changed.sent == false)
        #expect(changed.sendError?.contains("differs from the output_sha256 the manifest recorded; not sent") == true)
    }

    /// A send killed after some series left their outcomes in the send journal (the manifest is
    /// rewritten once, at the end): the next send takes them from there.
    @Test func anInterruptedSendsJournalIsFoldedIn() throws {
        let workspace = try Workspace()
        #expect(try workspace.protect("out").status == 0)
        let manifest = try String(contentsOfFile: workspace.root + "/out/manifest.jsonl", encoding: .utf8)
        let first = try #require(manifest.split(separator: "\n").first)
        #expect(first.contains(#""sent":null"#))
        let journal = workspace.root + "/out/.dcmveil/send-journal.jsonl"
        try (first.replacingOccurrences(of: #""sent":null"#, with: #""sent":true"#) + "\n").write(toFile: journal, atomically: true, encoding: .utf8)

        let result = try workspace.run("send", "out", "--to", "dicom://ANY@127.0.0.1:1", "--retries", "0")
        #expect(result.stderr.contains("0 sent, 1 already sent, 5 not sent"), "\(result.stderr)")
        let records = try workspace.manifest("out")
        #expect(records.filter { $0.sent == true }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    /// Every instance in the archive is one of the manifest's outputs, byte for byte, and all are there.
    private func expectArchive(_ server: OrthancServer, holdsExactly records: [ManifestRecord]) throws {
        let stored = try server.instances().map { try sha256(server.file($0)) }.sorted()
        #expect(stored == records.compactMap(\.outputSHA256).sorted())
    }
}
