import Foundation
import VeilCrypto
import VeilDICOM
import VeilPipeline

/// `protect`: each instance through `InstanceProtector`, named by the layout.
package struct ProtectOperation: InstanceOperation {
    package let protector: InstanceProtector
    package let layout: OutputLayout
    package let settings: String
    package var operation: Operation { .protect }
    package var keyFingerprint: String { protector.recipient.publicKey.shortFingerprint }

    package init(recipient: Certificate, configuration: ProtectionConfiguration, siteSecret: [UInt8], layout: OutputLayout) {
        protector = InstanceProtector(recipient: recipient, configuration: configuration, siteSecret: siteSecret)
        self.layout = layout
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let configurationJSON = (try? encoder.encode(configuration)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        settings = """
            protect
            recipient \(recipient.publicKey.fingerprint.hex)
            layout \(layout.rawValue)
            site-secret \(HMACSHA256.authenticate(Array("dcmveil settings".utf8), key: siteSecret).hex)
            configuration \(configurationJSON)

            """
    }

    package func plannedOutput(for input: InputFile) -> String? {
        layout == .mirror ? input.relativePath : nil
    }

    package func process(_ file: DicomFile, input: InputFile, fileSHA256: [UInt8]) throws -> ProcessedInstance {
        let named = [input.relativePath, input.path].first { protector.configuration.engine.keyRegions[$0] != nil }
        let instance = try protector.protect(file, keyRegionName: named, fileSHA256: fileSHA256, originalPath: input.relativePath)
        let report = instance.report
        let output = try plannedOutput(for: input) ?? Self.uidPath(report.newUIDs, input: input.path)
        return ProcessedInstance(
            bytes: instance.fileBytes, output: output,
            status: report.headerOnlyReason == nil ? .protected : .headerOnly,
            reason: report.headerOnlyReason ?? (report.notes.isEmpty ? nil : report.notes.joined(separator: "; ")),
            pixelSHA256: report.pixelSHA256,
            frames: report.frames.map { frame in
                ManifestRecord.Frame(
                    keyRegion: [frame.keyRegion.x, frame.keyRegion.y, frame.keyRegion.width, frame.keyRegion.height],
                    threshold: frame.parameters.threshold, p: frame.parameters.range.p, q: frame.parameters.range.q,
                    passes: frame.parameters.passes, payloadBytes: frame.payloadBytes, capacityBits: frame.capacityBits,
                    keyRegionForeground: (frame.keyRegionForeground * 100).rounded() / 100,
                    textRegions: frame.textExamined || !frame.textRegions.isEmpty
                        ? frame.textRegions.map { [$0.x, $0.y, $0.width, $0.height] } : nil)
            })
    }

    /// `study/series/instance.dcm`. UIDs become path components, so anything but digits and dots
    /// (a retained UID could be anything) is refused rather than trusted.
    static func uidPath(_ uids: (study: String?, series: String?, instance: String?), input: String) throws -> String {
        let parts = [("Study", uids.study), ("Series", uids.series), ("SOP Instance", uids.instance)]
        let components = try parts.map { name, uid in
            guard let uid, !uid.isEmpty, uid.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }), uid != ".", uid != ".." else {
                throw LayoutError(detail: "--layout uids needs a valid \(name) Instance UID, found \(uid.map { "\"\($0)\"" } ?? "none")")
            }
            return uid
        }
        return components.joined(separator: "/") + ".dcm"
    }

    struct LayoutError: Error, CustomStringConvertible {
        let detail: String
        var description: String { detail }
    }
}
