import Foundation
import Testing
import VeilFileSystem

/// The one file layer: bounded reads of regular files only, atomic writes, errors that keep their cause.
@Suite struct FileSystemTests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "veil-fs-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func readsWhatWasWrittenAtomically() throws {
        let path = directory.appending("a/b/file.bin")
        try FileSystem.makeDirectories(path.parentPath)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: path)
        #expect(try FileSystem.read(path) == bytes)
        try AtomicFile.write([1, 2, 3], to: path, durable: false)
        #expect(try FileSystem.read(path) == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path.parentPath) == ["file.bin"], "no temporary file left")
    }

    @Test func errorsKeepTheirCause() {
        let missing = directory.appending("missing")
        #expect(throws: FileSystemError(.notFound, path: missing, operation: "open", systemError: ENOENT)) {
            try FileSystem.read(missing)
        }
        #expect(throws: FileSystemError(.isDirectory, path: directory, operation: "read")) { try FileSystem.read(directory) }
        let error = FileSystemError(.notFound, path: missing, operation: "open", systemError: ENOENT)
        #expect(error.description == "\(missing): cannot open (No such file or directory)")
    }

    @Test func onlyRegularFilesAreRead() throws {
        let fifo = directory.appending("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileSystemError(.notRegularFile(kind: "a FIFO"), path: fifo, operation: "read")) { try FileSystem.read(fifo) }
        #expect(throws: FileSystemError(.notRegularFile(kind: "a character device"), path: "/dev/zero", operation: "read")) {
            try FileSystem.read("/dev/zero")
        }
    }

    @Test func readsAreBounded() throws {
        let path = directory.appending("big")
        try AtomicFile.write([UInt8](repeating: 7, count: 5000), to: path)
        #expect(throws: FileSystemError(.tooLarge(bytes: 5000, limit: 4096), path: path, operation: "read")) {
            try FileSystem.read(path, limit: 4096)
        }
        #expect(try FileSystem.read(path, limit: 5000).count == 5000)
    }

    @Test func aNewFileNeverReplacesAnExistingOne() throws {
        let path = directory.appending("key.pem")
        try AtomicFile.write([1], to: path, mode: 0o600, replacing: false)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(throws: FileSystemError.self) { try AtomicFile.write([2], to: path, replacing: false) }
        #expect(try FileSystem.read(path) == [1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func aFailedWriteLeavesNothing() throws {
        let path = directory.appending("no-such-folder/file")
        #expect(throws: FileSystemError.self) { try AtomicFile.write([1], to: path) }
    }

    @Test func temporaryNamesAreOursOnly() {
        #expect(AtomicFile.isTemporaryName(".manifest.jsonl.1234.tmp"))
        #expect(AtomicFile.isTemporaryName(".1-001.dcm.1234.987654.tmp"))
        #expect(!AtomicFile.isTemporaryName("scan.tmp"))
        #expect(!AtomicFile.isTemporaryName(".notes.tmp"))
        #expect(!AtomicFile.isTemporaryName("1-001.dcm"))
    }
}
