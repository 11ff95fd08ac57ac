import Foundation
import Testing
import VeilTestSupport

@Suite("Memory")
struct LeakTests {
    /// The DicomLeakCheck tool is built beside the test bundle (the test target depends on it).
    private static let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("DicomLeakCheck").path

    /// Small samples in every decodable syntax plus the refused one, twice: seconds under valgrind.
    /// `scripts/leak-check` runs all samples for more rounds.
    @Test("Reading, decoding, writing and the error paths leak nothing under valgrind",
          .enabled(if: toolExists("valgrind") && toolExists("strip") && FileManager.default.isExecutableFile(atPath: tool)))
    func noDefiniteLeaks() throws {
        let files = ["emri_small.dcm", "emri_small_RLE.dcm", "emri_small_jpeg_ls_lossless.dcm", "MR2_J2KR.dcm"].map(sample)
        try withTemporaryDirectory { directory throws in
            // Valgrind 3.19 cannot read the DWARF 5 debug info Swift 6 emits; a stripped copy runs fine.
            let stripped = "\(directory)/DicomLeakCheck"
            #expect(try run("strip", ["-g", "-o", stripped, Self.tool]).status == 0)
            let result = try run("valgrind", [
                "--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=99", "--quiet",
                stripped, "2",
            ] + files)
            #expect(result.status == 0, "valgrind found definite leaks or memory errors (exit \(result.status))")
        }
    }
}
