import Foundation
import Testing
@testable import VeilPipeline
import VeilCrypto
import VeilDICOM
import VeilTestSupport

/// Formats outlive releases (SPEC §2): protected files written by every released format version,
/// committed under Tests/Fixtures/format-N by `scripts/make-format-fixtures`, restore exactly.
@Suite struct FormatFixtureTests {
    struct Fixture: CustomTestStringConvertible, Sendable {
        var directory: String
        var protectedName: String
        var originalSHA256: String
        var originalName: String
        /// "exact": the original file byte for byte; "pixels": identical decoded pixels (all that
        /// format 1 promised for compressed inputs).
        var promise: String
        var testDescription: String { "\(URL(fileURLWithPath: directory).lastPathComponent)/\(protectedName)" }

        var protectedPath: String { "\(directory)/protected/\(protectedName)" }
        var originalPath: String { "\(directory)/originals/\(originalName)" }
        var key: PrivateKey { get throws { try PrivateKey(contentsOf: "\(directory)/key/private-key.pem") } }
    }

    static let fixtures: [Fixture] = {
        let root = packageRoot + "/Tests/Fixtures"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("format-") }.sorted()
        return versions.flatMap { version -> [Fixture] in
            let directory = "\(root)/\(version)"
            let lines = (try? String(contentsOfFile: directory + "/expected.txt", encoding: .utf8)) ?? ""
            return lines.split(separator: "\n").map { line in
                let fields = line.split(separator: " ").map(String.init)
                return Fixture(directory: directory, protectedName: fields[0], originalSHA256: fields[1], originalName: fields[2], promise: fields[3])
            }
        }
    }()

    @Test func everyReleasedFormatHasFixtures() {
        #expect(Self.fixtures.contains { $0.directory.hasSuffix("format-1") })
        #expect(Self.fixtures.count >= 5)
    }

    @Test(arguments: fixtures)
    func restoresByteForByte(_ fixture: Fixture) throws {
        let restored = try InstanceRestorer(key: fixture.key).restore(try DicomFile.read(fixture.protectedPath))
        if fixture.promise == "exact" {
            #expect(restored.byteExact)
            #expect(SHA256.hash(restored.fileBytes).hexString == fixture.originalSHA256)
        } else {
            let original = try DicomFile.read(fixture.originalPath)
            #expect(SHA256.hash(original.originalBytes()).hexString == fixture.originalSHA256)
            #expect(try Self.pixels(of: DicomFile(bytes: restored.fileBytes, name: "restored")) == Self.pixels(of: original))
        }
    }

    /// With every private element and the Encrypted Attributes Sequence stripped, the pixels of
    /// a pixel-protected fixture still come back exactly.
    @Test(arguments: fixtures)
    func pixelsAloneRestoreThePixels(_ fixture: Fixture) throws {
        let protected = try DicomFile.read(fixture.protectedPath)
        let original = try DicomFile.read(fixture.originalPath)
        guard try Self.pixels(of: protected) != Self.pixels(of: original) else { return }  // header-only fixture
        var stripped = protected.dataSet
        for element in stripped.elements where element.tag.isPrivate || element.tag == EncryptedAttributes.sequenceTag {
            stripped.remove(element.tag)
        }
        let bytes = try DicomWriter.encodeFile(dataSet: stripped, pixelData: Self.pixels(of: protected))
        let restored = try InstanceRestorer(key: fixture.key).restore(try DicomFile(bytes: bytes, name: fixture.protectedName))
        #expect(restored.pixelSHA256 == SHA256.hash(try Self.pixels(of: original)).hexString)
    }

    /// Every frame's decoded bytes.
    static func pixels(of file: DicomFile) throws -> [UInt8] {
        let frames = file.geometry?.frames ?? 0
        return try (0..<frames).flatMap { try file.frame($0).bytes }
    }
}
