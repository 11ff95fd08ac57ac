import Foundation
import Testing
@testable import VeilBatch

@Suite struct ManifestTests {
    let record = ManifestRecord(
        input: "in/a \"quoted\"\\name\n.dcm", status: .protected, inputSHA256: "aa", output: "a.dcm",
        outputSHA256: "bb", pixelSHA256: "cc",
        frames: [.init(keyRegion: [176, 160, 160, 160], threshold: 5, p: -2, q: 2, passes: 1, payloadBytes: 900, capacityBits: 9000)])

    @Test func keysComeInTheDocumentedOrder() {
        #expect(record.jsonLine(for: .protect) == #"{"input":"in/a \"quoted\"\\name\n.dcm","status":"protected","reason":null,"input_sha256":"aa","output":"a.dcm","output_sha256":"bb","pixel_sha256":"cc","frames":[{"key_region":[176,160,160,160],"t":5,"p":-2,"q":2,"passes":1,"payload_bytes":900,"capacity_bits":9000}],"sent":null,"send_error":null}"#)
        let restored = ManifestRecord(input: "x", status: .restored, byteExact: true)
        #expect(restored.jsonLine(for: .restore) == #"{"input":"x","status":"restored","reason":null,"input_sha256":null,"output":null,"output_sha256":null,"pixel_sha256":null,"byte_exact":true}"#)
    }

    @Test func linesReadBackAsWritten() throws {
        #expect(try ManifestRecord(jsonLine: Substring(record.jsonLine(for: .protect))) == record)
        let control = ManifestRecord(input: "tab\there\u{1}", status: .skipped, reason: "not a DICOM file", frames: [])
        #expect(try ManifestRecord(jsonLine: Substring(control.jsonLine(for: .protect))) == control)
    }

    @Test func manifestIsSortedByInputBytesAndIdenticalWhenRewritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = ["b/x.dcm", "a-c.dcm", "a/b.dcm", "B.dcm"].map { ManifestRecord(input: $0, status: .skipped, frames: []) }
        let path = directory + "/manifest.jsonl"
        try Manifest.write(records, operation: .protect, to: path)
        #expect(try Manifest.read(path).map(\.input) == ["B.dcm", "a-c.dcm", "a/b.dcm", "b/x.dcm"])
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        try Manifest.write(records.reversed(), operation: .protect, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["manifest.jsonl"])
    }

    @Test func journalDropsOnlyATornLastLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.jsonl"
        let line = record.jsonLine(for: .protect)
        try write(line + "\n" + line.prefix(40), to: path)
        #expect(try Journal.read(path) == [record])
        try write("{broken}\n" + line + "\n", to: path)
        #expect(throws: BatchError.self) { try Journal.read(path) }
    }

    @Test func crashRecordEntriesReadBackAndATornOneIsDropped() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/crashes"
        #expect(try CrashRecord.read(path).isEmpty)
        let hash = String(repeating: "ab", count: 32)
        let odd = "in/a name\nwith a newline.dcm"
        let entries = CrashRecord.entry(input: odd, inputSHA256: hash) + CrashRecord.entry(input: "in/b.dcm", inputSHA256: hash)
        try Data(entries + Array("\(hash) in/torn".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(try CrashRecord.read(path) == [.init(input: odd, inputSHA256: hash), .init(input: "in/b.dcm", inputSHA256: hash)])
        let record = ManifestRecord(crashed: .init(input: odd, inputSHA256: hash), operation: .protect)
        #expect(record.jsonLine(for: .protect).hasPrefix(#"{"input":"in/a name\nwith a newline.dcm","status":"failed","reason":"the previous run crashed on it""#))
        try Data("garbage\0".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: BatchError.self) { try CrashRecord.read(path) }
    }

    @Test func journalGroupsReachTheFileInOrderOnceCommitted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/out.dcm"
        try write("written without fsync", to: output)
        let records = (0..<(Journal.groupSize + 3)).map { index in
            var numbered = record
            numbered.input = "in/\(index).dcm"
            return numbered
        }
        let journal = try Journal(directory + "/journal.jsonl", operation: .protect)
        for (index, record) in records.enumerated() {
            try journal.add(record, output: index == 0 ? output : nil)
        }
        // One full group may already be on its way; everything is there, in order, after commit.
        try journal.commit()
        #expect(try Journal.read(directory + "/journal.jsonl") == records)
        try journal.commit()
        #expect(try Journal.read(directory + "/journal.jsonl") == records, "an empty commit adds nothing")
    }

    @Test func aJournalGroupWhoseOutputVanishedIsNotJournaled() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory + "/journal.jsonl", operation: .protect)
        try journal.add(record, output: directory + "/missing.dcm")
        #expect(throws: BatchError.self) { try journal.commit() }
        #expect(try Journal.read(directory + "/journal.jsonl").isEmpty)
    }

    @Test func diffNamesAddedRemovedAndChangedFields() {
        var changed = record
        changed.outputSHA256 = "dd"
        changed.status = .headerOnly
        let added = ManifestRecord(input: "new.dcm", status: .skipped, reason: "not a DICOM file", frames: [])
        let removed = ManifestRecord(input: "gone.dcm", status: .failed, reason: "truncated", frames: [])
        let diff = ManifestDiff(old: [record, removed], new: [changed, added])
        #expect(diff.added.map(\.input) == ["new.dcm"])
        #expect(diff.removed.map(\.input) == ["gone.dcm"])
        #expect(diff.changed.map { $0.fields.map(\.key) } == [["status", "output_sha256"]])
        #expect(diff.text.contains(#"status: "protected" -> "header-only"; output_sha256: "bb" -> "dd""#))
        #expect(diff.text.hasSuffix("1 added, 1 removed, 1 changed"))
        #expect(ManifestDiff(old: [record], new: [record]).isEmpty)
    }
}
