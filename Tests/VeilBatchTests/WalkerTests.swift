import Foundation
import Testing
@testable import VeilBatch

@Suite struct WalkerTests {
    @Test func walksSortedWithRelativePathsAndReportsWhatItDoesNotFollow() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["tree/b/2.dcm", "tree/b/10.dcm", "tree/a/x", "tree/A", "single.dcm"] {
            try write(path, to: root + "/" + path)
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/tree/a/loop", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: root + "/tree/link.dcm", withDestinationPath: "b/2.dcm")
        #expect(mkfifo(root + "/tree/fifo", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: root + "/tree/out", withIntermediateDirectories: true)
        try write("already protected", to: root + "/tree/out/p.dcm")

        let found = Array(Walker(inputs: [root + "/tree", root + "/single.dcm"], excluding: [root + "/tree/out"]))
        #expect(found.map(\.relativePath) == ["A", "a/loop", "a/x", "b/10.dcm", "b/2.dcm", "fifo", "link.dcm", "single.dcm"])
        #expect(found[1].unusable == .skipped("symbolic link to a directory (not followed)"))
        #expect(found[5].unusable == .skipped("not a regular file"))
        #expect(found[6].unusable == nil)
        #expect(found.last?.path == root + "/single.dcm")
    }

    @Test func leavesOutTheBookkeepingOfAnOutputDirectory() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in [".dcmveil/lock", "manifest.jsonl", "run.json", "a/manifest.jsonl", "b.dcm"] {
            try write(path, to: root + "/" + path)
        }
        #expect(Walker(inputs: [root]).map(\.relativePath) == ["a/manifest.jsonl", "b.dcm"])
        #expect(Walker(inputs: [root + "/missing", root]).missingInputs == [root + "/missing"])
    }

    @Test func aSecondLockOnTheSameDirectoryIsRefused() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first: OutputLock? = try OutputLock(root + "/lock")
        #expect(throws: BatchError.locked(path: root + "/lock", holder: "pid \(getpid())")) { try OutputLock(root + "/lock") }
        #expect(first != nil)
        first = nil
        _ = try OutputLock(root + "/lock")
    }
}
