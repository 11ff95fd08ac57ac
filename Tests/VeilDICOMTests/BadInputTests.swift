import Foundation
import Testing
import VeilTestSupport
import VeilDICOM

@Suite("Bad input gives typed errors naming the file")
struct BadInputTests {
    /// Writes `bytes` to a file and reads it, expecting an error that names the file.
    private func readError(_ bytes: [UInt8]) throws -> DicomError? {
        try withTemporaryDirectory { directory throws -> DicomError? in
            let path = "\(directory)/input.dcm"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            do throws(DicomError) {
                _ = try DicomFile.read(path)
                return nil
            } catch {
                #expect(error.description.hasPrefix(path))
                return error
            }
        }
    }

    @Test func missingPath() {
        #expect(throws: DicomError.notFound(path: "/nonexistent/file.dcm")) { try DicomFile.read("/nonexistent/file.dcm") }
    }

    @Test func directory() throws {
        #expect(throws: DicomError.isDirectory(path: samplesDirectory)) { try DicomFile.read(samplesDirectory) }
    }

    @Test func emptyFile() throws {
        guard case .notDICOM(_, let reason) = try readError([]) else { Issue.record("not refused as non-DICOM"); return }
        #expect(reason == "empty file")
    }

    @Test("Random bytes are not DICOM", arguments: [16, 131, 132, 4096])
    func randomBytes(count: Int) throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes.count > 8 { bytes[0] = 0x41 }  // never a (0002)/(0008) group by chance
        guard case .notDICOM = try readError(bytes) else { Issue.record("random bytes accepted"); return }
    }

    @Test("Preamble and DICM followed by garbage is corrupt or truncated, never a crash")
    func garbageAfterMagic() throws {
        let bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let error = try readError(bytes)
        switch error {
        case .corrupt?, .truncated?: break
        default: Issue.record("unexpected: \(String(describing: error))")
        }
    }

    @Test("A sample cut in half or inside its header is truncated", arguments: sampleNames)
    func truncated(name: String) throws {
        let bytes = try DicomFile.read(sample(name)).originalBytes()
        for cut in [bytes.count / 2, 200, 136] {
            guard case .truncated = try readError(Array(bytes.prefix(cut))) else {
                Issue.record("\(name) cut at \(cut) not reported as truncated")
                continue
            }
        }
    }

    @Test("Writing into a missing directory fails cleanly")
    func writeFailure() throws {
        let file = try DicomFile.read(sample("emri_small.dcm"))
        #expect(throws: DicomError.self) {
            try DicomWriter.write(dataSet: file.dataSet, pixelData: nil, to: "/nonexistent/dir/out.dcm")
        }
    }
}
