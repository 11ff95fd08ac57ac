import ArgumentParser
import Foundation
import VeilCrypto
import VeilDICOM
import VeilPipeline

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a protected file's QR says (no key needed) and, with --key, the rest.",
        discussion: """
        Without a key: the QR code's readable lines, its format version and the recipient key's \
        fingerprint, and the de-identification the header declares. With the key: each frame's \
        embedding parameters and an in-memory restore check (exit 1 if it would fail).
        """)

    @Argument(help: "A protected DICOM file.")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var key: OptionalKeyOptions

    func run() async throws {
        let privateKey = try key.privateKey(command: "inspect")
        let inspection: Inspection
        do {
            inspection = try Inspection.inspect(try DicomFile.read(file), key: privateKey)
        } catch let error as DicomError {
            printError("dcmveil inspect: \(error)")  // it names the file already
            throw DcmVeilExit.failure
        } catch {
            printError("dcmveil inspect: \(file): \(error)")
            throw DcmVeilExit.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(inspection), as: UTF8.self))
        } else {
            print(inspection.text)
        }
        if let check = inspection.restoreCheck, check != "ok" { throw DcmVeilExit.failure }
    }
}

extension Inspection {
    /// The human-readable form.
    var text: String {
        var lines = ["\(file)"]
        if let rows, let columns { lines.append("  image: \(columns)×\(rows), \(frames ?? 1) frame(s)") }
        lines.append("  de-identified: \(patientIdentityRemoved ?? "no")"
                     + (deidentificationMethod.map { " (\($0.replacingOccurrences(of: "\\", with: "; ")))" } ?? ""))
        lines.append("  encrypted attributes: \(hasEncryptedAttributes ? "yes" : "no"); restoration record: \(hasRestorationRecord ? "yes" : "no")")
        if qrFrames.isEmpty { lines.append("  no dcmveil QR code in the pixels") }
        for frame in qrFrames {
            lines.append("  frame \(frame.frame): dcmveil QR (key block version \(frame.formatVersion)) at \(frame.qrBounds.map { "\($0)" } ?? "?"), recipient key \(frame.keyFingerprint)")
            lines += frame.basicInformation.map { "    | \($0)" }
            if let p = frame.parameters {
                lines.append("    key region \(p.keyRegion), T \(p.t), [p, q] = [\(p.p), \(p.q)], passes \(p.passes), scramble \(p.scramble)")
            }
        }
        if let restoreCheck {
            lines.append("  restore check: \(restoreCheck)" + (byteExact.map { $0 ? ", byte-exact" : ", not byte-exact" } ?? ""))
            lines += (warnings ?? []).map { "  warning: \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
