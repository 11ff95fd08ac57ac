import VeilCore
import VeilCrypto
import VeilDICOM

/// What a protected file tells: without a key, what anyone can read (the QR's readable lines,
/// format version, recipient fingerprint, the declared de-identification); with the key, the
/// embedding parameters of each frame and whether the whole file would restore.
package struct Inspection: Sendable, Encodable {
    package struct FrameInfo: Sendable, Encodable {
        package var frame: Int
        /// Where the QR code was found, [x, y, width, height] in pixels.
        package var qrBounds: [Int]?
        package var basicInformation: [String]
        package var formatVersion: Int
        package var keyFingerprint: String
        /// Only with the key.
        package var parameters: Parameters?
    }

    package struct Parameters: Sendable, Encodable {
        package var keyRegion: [Int]
        package var t: Int
        package var p: Int
        package var q: Int
        package var passes: Int
        package var scramble: String
    }

    package var file: String
    package var sopClass: String?
    package var rows: Int?
    package var columns: Int?
    package var frames: Int?
    package var patientIdentityRemoved: String?
    package var deidentificationMethod: String?
    package var hasEncryptedAttributes: Bool
    package var hasRestorationRecord: Bool
    package var qrFrames: [FrameInfo]
    /// Only with the key: the outcome of an in-memory restore.
    package var restoreCheck: String?
    package var byteExact: Bool?
    package var warnings: [String]?

    /// Reads what can be read; `key` adds the parameters and a full restore check.
    package static func inspect(_ file: DicomFile, key: PrivateKey? = nil) throws -> Inspection {
        let dataSet = file.dataSet
        var inspection = Inspection(
            file: file.path, sopClass: dataSet.string(.sopClassUID), rows: file.geometry?.rows,
            columns: file.geometry?.columns, frames: file.geometry?.frames,
            patientIdentityRemoved: dataSet.string(Tag(0x0012, 0x0062)),
            deidentificationMethod: dataSet.string(Tag(0x0012, 0x0063)),
            hasEncryptedAttributes: dataSet[EncryptedAttributes.sequenceTag] != nil,
            hasRestorationRecord: !PrivateRecord.tags(in: dataSet).isEmpty, qrFrames: [])
        if let geometry = file.geometry, InstanceProtector.headerOnlyReason(file, minimumSide: 0) == nil {
            let palette = Palette(dataSet)?.qrWindow(format: geometry.sampleFormat)
            for index in 0..<geometry.frames {
                let pixels = try file.frame(index)
                guard let (content, bounds) = try InstanceRestorer.findQR(in: pixels.luminance, geometry: pixels.geometry,
                                                                          extraWindows: palette.map { [$0] } ?? []) else { continue }
                var info = FrameInfo(frame: index + 1, qrBounds: [bounds.x, bounds.y, bounds.width, bounds.height],
                                     basicInformation: content.basicInformation, formatVersion: QRContent.version,
                                     keyFingerprint: content.keyFingerprint)
                if let key, let unwrapped = try? RSAOAEP.decrypt(content.wrappedKey, with: key),
                   let parameters = try? EmbeddingParameters(decoding: Array(unwrapped.dropFirst(ContentKeyCrypto.keySize).prefix(EmbeddingParameters.encodedSize))) {
                    let region = parameters.keyRegion
                    info.parameters = Parameters(
                        keyRegion: [region.x, region.y, region.width, region.height], t: parameters.threshold,
                        p: parameters.range.p, q: parameters.range.q, passes: parameters.passes,
                        scramble: parameters.scramble == .arnold ? "arnold" : "permutation")
                }
                inspection.qrFrames.append(info)
            }
        }
        if let key {
            do {
                let restored = try InstanceRestorer(key: key).restore(file)
                inspection.restoreCheck = "ok"
                inspection.byteExact = restored.byteExact
                inspection.warnings = restored.warnings
            } catch {
                inspection.restoreCheck = "fails: \(error)"
            }
        }
        return inspection
    }
}
