import VeilCore
import VeilCrypto
import VeilDICOM
import VeilQR

/// Per-stage timings of protecting and restoring one instance, stage by stage as `InstanceProtector`
/// and `InstanceRestorer` run them, for `pipeline-bench`. Each stage is run on its own, in order, on
/// the outputs of the previous ones; `allocations` (if the caller can count mallocs) is read around
/// each stage.
public enum PipelineProfile {
    public struct Stage: Sendable {
        public var phase: String
        public var name: String
        public var seconds: Double
        public var allocations: Int?
    }

    /// One run over `fileBytes` (a single-frame grayscale instance). Throws what the pipeline throws.
    public static func run(fileBytes: [UInt8], recipient: Certificate, key: PrivateKey,
                           allocations: (() -> Int)? = nil) throws -> [Stage] {
        var stages: [Stage] = []
        let clock = ContinuousClock()
        func time<T>(_ phase: String, _ name: String, _ body: () throws -> T) rethrows -> T {
            let before = allocations?()
            let start = clock.now
            let result = try body()
            let elapsed = start.duration(to: clock.now).components
            let after = allocations?()
            stages.append(Stage(phase: phase, name: name,
                                seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18,
                                allocations: before.flatMap { b in after.map { $0 - b } }))
            return result
        }
        func engineStages(_ phase: String, _ timings: [StageTiming]) {
            for timing in timings {
                stages.append(Stage(phase: phase, name: "  " + timing.stage, seconds: timing.seconds, allocations: nil))
            }
        }

        // MARK: Protect, stage by stage
        let protector = InstanceProtector(recipient: recipient, configuration: ProtectionConfiguration(),
                                          siteSecret: [UInt8](repeating: 7, count: 32))
        let file = try time("protect", "read + parse (DCMTK)") { try DicomFile(bytes: fileBytes, name: "profile.dcm") }
        let pixels = try time("protect", "decode frame (DCMTK)") { try file.frame(0) }
        let frame = time("protect", "words → samples") { Frame(pixels) }
        let engineConfiguration = protector.engineConfiguration
        let keyRegion = try time("protect", "key region") { try Engine.keyRegion(for: frame, configuration: engineConfiguration) }
        let basic = try time("protect", "QR text fitting") { () throws -> [String] in
            let placeholder = QRContent(basicInformation: [], keyFingerprint: protector.recipientFingerprint,
                                        wrappedKey: [UInt8](repeating: 0xFF, count: recipient.publicKey.bits / 8))
            return try BasicInformation.fitted(from: file.dataSet, fields: protector.configuration.qr.fields,
                                               keyBlock: placeholder.keyBlock, side: keyRegion.width).lines
        }
        let crypto = ContentKeyCrypto.random()
        let associatedData = FrameBinding.associatedData(frame: frame, index: 0, keyRegion: keyRegion,
                                                         basicText: basic.joined(separator: "\n"))
        let protected = try time("protect", "engine protect") {
            try Engine.protect(frame, keyRegion: keyRegion, configuration: engineConfiguration, crypto: crypto,
                               codec: Codecs.preferred, associatedData: associatedData)
        }
        engineStages("protect", protected.report.timings)
        let wrapped = try time("protect", "RSA-OAEP encrypt") {
            try RSAOAEP.encrypt(crypto.key + protected.parameters.encoded(), for: recipient.publicKey)
        }
        let content = QRContent(basicInformation: basic, keyFingerprint: protector.recipientFingerprint, wrappedKey: wrapped)
        let code = try time("protect", "QR encode (libqrencode)") { try QRCode.encode(content.segments) }
        let window = DisplayWindow(geometry: pixels.geometry, format: frame.format) ?? DisplayWindow(frame: frame, inverted: false)
        var marked = protected.frame
        try time("protect", "QR render + paste") {
            marked.paste(try code.render(side: keyRegion.width, dark: window.dark, light: window.light,
                                         minimumModulePixels: QRLayout.minimumModulePixels,
                                         quietZoneModules: QRLayout.quietZoneModules), at: keyRegion)
        }
        let decoded = try time("protect", "QR decode, key region (zbar)") {
            try QRReader.decode(gray8: window.render(marked, region: keyRegion), width: keyRegion.width, height: keyRegion.height)
        }
        guard decoded.contains(where: { $0.payload == content.bytes }) else { throw ProtectionError.verificationFailed("QR does not read back") }
        let verified = try time("protect", "verify restore (engine)") {
            try Engine.restore(marked, parameters: protected.parameters, crypto: crypto, codecs: Codecs.all, associatedData: associatedData)
        }
        engineStages("protect", verified.timings)
        guard verified.frame == frame else { throw ProtectionError.verificationFailed("verify restore differs") }
        let markedBytes = time("protect", "samples → words") { PixelFrame(geometry: pixels.geometry, samples: marked.samples).bytes }
        var header = time("protect", "de-identification") { protector.deidentifier.apply(to: file.dataSet) }
        let changed = InstanceProtector.changes(from: file.dataSet, to: header)
        try time("protect", "EAS (CMS encrypt)") {
            header.set(try EncryptedAttributes.element(originals: changed.originals, recipient: recipient))
        }
        let template = try time("protect", "file template") { try protector.template(of: file) }
        try time("protect", "restoration record (CMS encrypt)") {
            try PrivateRecord.insert(RestorationRecord(protectedFrames: 1, addedTags: changed.added, template: template),
                                     into: &header, recipient: recipient)
        }
        _ = try time("protect", "encode file (DCMTK)") { try DicomWriter.encodeFile(dataSet: header, pixelData: markedBytes) }
        let output = try time("protect", "InstanceProtector.protect (all)") {
            try protector.protect(try DicomFile(bytes: fileBytes, name: "profile.dcm"))
        }

        // MARK: Restore, stage by stage
        let restorer = InstanceRestorer(key: key)
        let protectedFile = try time("restore", "read + parse (DCMTK)") { try DicomFile(bytes: output.fileBytes, name: "protected.dcm") }
        let protectedPixels = try time("restore", "decode frame (DCMTK)") { try protectedFile.frame(0) }
        let protectedFrame = time("restore", "words → samples") { Frame(protectedPixels) }
        let found = try time("restore", "QR search, whole frame (zbar)") {
            try InstanceRestorer.findQR(in: protectedFrame, geometry: protectedPixels.geometry)
        }
        guard let (foundContent, _) = found else { throw ProtectionError.corruptQR("profile: no QR found") }
        let unwrapped = try time("restore", "RSA-OAEP decrypt") { try RSAOAEP.decrypt(foundContent.wrappedKey, with: key) }
        let parameters = try EmbeddingParameters(decoding: Array(unwrapped.dropFirst(ContentKeyCrypto.keySize)))
        let restored = try time("restore", "engine restore") {
            try Engine.restore(protectedFrame, parameters: parameters, crypto: ContentKeyCrypto(key: Array(unwrapped.prefix(ContentKeyCrypto.keySize))),
                               codecs: Codecs.all,
                               associatedData: FrameBinding.associatedData(frame: protectedFrame, index: 0, keyRegion: parameters.keyRegion,
                                                                           basicText: foundContent.basicText))
        }
        engineStages("restore", restored.timings)
        _ = try time("restore", "restoration record (CMS decrypt)") { try PrivateRecord.record(in: protectedFile.dataSet, key: key) }
        _ = try time("restore", "EAS (CMS decrypt)") { try EncryptedAttributes.originals(in: protectedFile.dataSet, key: key) }
        let result = try time("restore", "InstanceRestorer.restore (all)") {
            try restorer.restore(try DicomFile(bytes: output.fileBytes, name: "protected.dcm"))
        }
        guard result.fileBytes == fileBytes else { throw ProtectionError.verificationFailed("profile: restored file differs") }
        return stages
    }
}
