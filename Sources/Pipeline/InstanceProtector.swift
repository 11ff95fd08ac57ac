import Foundation
import VeilCore
import VeilCrypto
import VeilDICOM
import VeilQR

/// Protects one DICOM instance: every grayscale frame gets its key region hidden, encrypted, in
/// its own texture, the texture scrambled and a QR code stamped in; the header is de-identified
/// with the originals kept in the Encrypted Attributes Sequence. Nothing is returned that has not
/// been restored in memory first.
package struct InstanceProtector: Sendable {
    package let recipient: Certificate
    package let configuration: ProtectionConfiguration
    let deidentifier: Deidentifier
    let recipientFingerprint: String

    package init(recipient: Certificate, configuration: ProtectionConfiguration, siteSecret: [UInt8]) {
        self.recipient = recipient
        self.configuration = configuration
        recipientFingerprint = recipient.publicKey.shortFingerprint.uppercased()
        deidentifier = Deidentifier(
            options: configuration.deidentificationOptions,
            keptPrivateCreators: Set(configuration.deidentification.keepPrivateCreators),
            uids: UIDMapper { HMACSHA256.authenticate($0, key: siteSecret) },
            // Validated when the configuration is loaded; one built in code falls back to the profile.
            overrides: (try? Overrides(configuration.deidentification.overrides)) ?? Overrides())
    }

    /// Protects `file`. `keyRegionName` looks up a clinician's key region in the configuration;
    /// `fileSHA256` is the digest of the file's bytes when the caller has it already; `originalPath`
    /// (the input's relative path) goes into the sealed record for restore's output name.
    package func protect(_ file: DicomFile, keyRegionName: String? = nil, fileSHA256: [UInt8]? = nil,
                        originalPath: String? = nil, stages: StageRecorder? = nil) throws -> ProtectedInstance {
        let original = file.dataSet
        var report = ProtectedInstance.Report()
        var frames: [PixelFrame] = []
        var protectedLayout: ImageGeometry? = nil
        report.headerOnlyReason = Self.headerOnlyReason(file, minimumSide: engineConfiguration.minimumKeyRegionSide)
        if let geometry = file.geometry, report.headerOnlyReason == nil {
            frames = try stages.time("decode frames (DCMTK)") { try (0..<geometry.frames).map { try file.frame($0) } }
            // The decoder's colour model (a JPEG's YBR comes out RGB): what the protected pixels are.
            let decoded = frames.first?.geometry ?? geometry
            protectedLayout = frames.allSatisfy(\.isCanonical) ? decoded : decoded.rawWords
            if file.transferSyntax.isLossy { report.notes.append("lossy input (\(file.transferSyntax.name)): protected on its decoded values") }
        }
        let originalPixelBytes: [UInt8]? = protectedLayout == nil ? nil : frames.count == 1 ? frames[0].bytes : frames.flatMap(\.bytes)
        // Header-only outputs keep the Pixel Data element exactly as it came; its bytes are bound.
        let keptPixelElement: [UInt8]? = protectedLayout == nil && file.hasPixelData ? try file.pixelElement() : nil

        // The header first: the pixels' payload binds its parts (format 2), so they must be final.
        var header = stages.time("de-identification") { deidentifier.apply(to: original) }
        annotate(&header, original: original, pixelsProtected: protectedLayout != nil, layout: protectedLayout)
        let changed = Self.changes(from: original, to: header)
        let attributesPlaintext = try EncryptedAttributes.plaintext(originals: changed.originals)
        let attributesSHA256 = SHA256.hash(attributesPlaintext)
        let protectedUID = header.string(.sopInstanceUID) ?? ""
        let template = stages.time("file template") {
            self.template(of: file, nativeWords: originalPixelBytes ?? keptPixelElement.flatMap(Self.nativeValue), fileSHA256: fileSHA256)
        }
        var record = RestorationRecord(
            protectedFrames: protectedLayout == nil ? 0 : frames.count, addedTags: changed.added, template: template,
            binding: .init(encryptedAttributesSHA256: attributesSHA256, protectedSOPInstanceUID: protectedUID,
                           pixelSHA256: keptPixelElement.map { SHA256.hash($0) } ?? []))
        record.fileMeta = file.metaInformation.elements.filter { $0.tag.group == 0x0002 && $0.tag.element != 0 }
        record.originalPath = originalPath
        let recordPlaintext = record.encoded()

        var pixelBytes = originalPixelBytes
        if let protectedLayout {
            let binding = InstanceBinding(
                pixelDescription: try InstanceBinding.pixelDescription(of: original, decoded: frames.first?.geometry),
                protectedSOPInstanceUID: protectedUID,
                encryptedAttributesSHA256: attributesSHA256, recordSHA256: SHA256.hash(recordPlaintext))
            var marked: [UInt8] = []
            for (index, pixels) in frames.enumerated() {
                let frame = try protectFrame(pixels.reinterpreted(as: protectedLayout), index: index, original: original,
                                             header: header, keyRegionName: keyRegionName, attachment: binding.encoded(), stages: stages)
                marked += stages.time("samples → words") { PixelFrame(geometry: protectedLayout, planes: frame.markedPlanes.map(\.samples)).bytes }
                report.frames.append(frame.report)
                // (`verify --key` recomputes pixel_sha256 from the restored bytes.)
                if protectedLayout.pixelDataIsChecksumWords { report.pixelSHA256 = frame.checksum.hexString }
            }
            pixelBytes = marked
        }
        if let originalPixelBytes, report.pixelSHA256 == nil { report.pixelSHA256 = SHA256.hash(originalPixelBytes).hexString }
        if let keptPixelElement { report.pixelSHA256 = SHA256.hash(keptPixelElement).hexString }

        try stages.time("EAS (CMS encrypt)") {
            header.set(try EncryptedAttributes.element(plaintext: attributesPlaintext, recipient: recipient))
        }
        try stages.time("restoration record (seal)") { try PrivateRecord.insert(plaintext: recordPlaintext, into: &header, recipient: recipient) }

        report.newUIDs = (header.string(.studyInstanceUID), header.string(.seriesInstanceUID), header.string(.sopInstanceUID))
        let bytes = try stages.time("encode file (DCMTK)") {
            keptPixelElement == nil ? try DicomWriter.encodeFile(dataSet: header, pixelData: pixelBytes)
                : try DicomWriter.encodeFile(dataSet: header, keepingPixelDataOf: file)
        }
        return ProtectedInstance(fileBytes: bytes, report: report)
    }

    // MARK: Pixels

    var engineConfiguration: EngineConfiguration {
        var engine = EngineConfiguration()
        engine.minimumKeyRegionSide = QRLayout.minimumKeyRegionSide
        engine.keyRegionSide = configuration.engine.keyRegionSide
        engine.keyRegionStride = configuration.engine.keyRegionStride
        engine.scramble = configuration.engine.scramble == "permutation" ? .permutation : .arnold
        if let thresholds = configuration.engine.thresholds { engine.thresholds = thresholds }
        return engine
    }

    /// Why an instance gets header-only protection, or nil when its pixels can be protected.
    static func headerOnlyReason(_ file: DicomFile, minimumSide: Int) -> String? {
        guard file.hasPixelData else {
            let float = [Tag(0x7FE0, 0x0008), Tag(0x7FE0, 0x0009)].contains { file.dataSet[$0] != nil }
            return float ? "float pixel data is protected header-only" : "no pixel data"
        }
        guard let geometry = file.geometry else { return "the pixel data has no Rows, Columns or Bits Allocated" }
        guard file.transferSyntax.isDecodable else { return "pixel data in \(file.transferSyntax.name) cannot be decoded" }
        // Native YBR_FULL_422 and YBR_PARTIAL_* hold subsampled chroma: not one value per pixel and plane.
        if !file.transferSyntax.isEncapsulated, geometry.colourModel == .ybr, geometry.photometricInterpretation != "YBR_FULL" {
            return "uncompressed \(geometry.photometricInterpretation) (subsampled chroma) is protected header-only"
        }
        return headerOnlyReason(geometry, minimumSide: minimumSide)
    }

    /// Why pixels of `geometry` cannot be protected, or nil when they can.
    static func headerOnlyReason(_ geometry: ImageGeometry, minimumSide: Int) -> String? {
        if geometry.colourModel == nil {
            return "\(geometry.photometricInterpretation) with \(geometry.samplesPerPixel) samples per pixel is protected header-only"
        }
        if geometry.bitsAllocated != 8 && geometry.bitsAllocated != 16 {
            return "\(geometry.bitsAllocated)-bit pixels are protected header-only"
        }
        if let reason = geometry.unsupportedReason { return "\(reason): protected header-only" }
        if min(geometry.rows, geometry.columns) < minimumSide {
            return "frame \(geometry.columns)×\(geometry.rows) is too small for a readable QR code (needs \(minimumSide)×\(minimumSide))"
        }
        return nil
    }

    /// Protects one frame of an instance whose original attributes are `original` (for the QR's
    /// readable lines, a palette and the text rules), and checks the result by restoring it in memory.
    /// Every plane (one for grayscale and palette, three for colour) goes through the engine with the
    /// same content key and key region (chosen on the brightness view), so the keyed block permutation
    /// moves a pixel's samples together; the QR's key block carries every plane's parameters.
    /// Burned-in text found on the view is hidden in every plane: its original samples ride in that
    /// plane's payload, the engine sees the region blanked. `attachment` (the instance binding) is
    /// sealed with each plane's payload.
    package func protectFrame(
        _ pixels: PixelFrame, index: Int, original: DataSet, header: DataSet? = nil, keyRegionName: String? = nil,
        attachment: [UInt8] = [], stages: StageRecorder? = nil
    ) throws -> FrameProtection {
        let geometry = pixels.geometry
        let planes = stages.time("words → samples") { (0..<geometry.planes).map { pixels.planeFrame($0) } }
        let view = planes.count == 1 ? planes[0] : pixels.luminance
        let ink = QRInk(geometry: geometry, header: original, view: view)
        let examine = configuration.textRegions.examines(original)
        let textRegions = try stages.time("text regions (Tesseract)") {
            try TextDetection.regions(in: view, window: ink.window, original: original, settings: configuration.textRegions, examine: examine)
        }
        let captured = try HiddenText.capture(textRegions, of: planes, blank: planes.indices.map { ink.planes[$0].dark },
                                              differencesFromFirstPlane: geometry.colourModel == .rgb)
        let enginePlanes = captured?.blanked ?? planes
        let engineView = captured == nil ? view : PixelFrame.luminance(ofPlanes: enginePlanes, geometry: geometry)
        let attachments = FrameAttachment.perPlane(binding: attachment, hiddenText: captured?.hidden, planes: planes.count).map { $0.encoded() }

        var engine = engineConfiguration
        engine.highValuesAreBackground = geometry.photometricInterpretation == "MONOCHROME1"
        if let name = keyRegionName, let named = configuration.engine.keyRegions[name] {
            engine.explicitKeyRegion = Region(x: named[0], y: named[1], width: named[2], height: named[2])
        }
        var choice = try stages.time("key region") { try Engine.chooseKeyRegion(for: engineView, configuration: engine) }
        var keyRegion = choice.region
        // The readable lines are bound into the payload, so they are fitted to the key region
        // first, against a key block of the final length (RSA ciphertexts have the modulus' size).
        let placeholder = QRContent(basicInformation: [], keyFingerprint: recipientFingerprint,
                                    wrappedKey: [UInt8](repeating: 0xFF, count: recipient.publicKey.bits / 8))
        let basic = try stages.time("QR text fitting") {
            try BasicInformation.fitted(from: configuration.qr.readsOriginal ? original : header ?? deidentifier.apply(to: original),
                                        fields: configuration.qr.effectiveFields,
                                        keyBlock: placeholder.keyBlock, side: keyRegion.width)
        }
        let crypto = ContentKeyCrypto.random()
        func associatedData(plane: Int) -> [UInt8] {
            FrameBinding.associatedData(frame: planes[plane], index: index, keyRegion: keyRegion, basicText: basic.joined(separator: "\n"),
                                        plane: planes.count > 1 ? plane : nil)
        }
        func embedEveryPlane() throws -> [ProtectedFrame] {
            var protections: [ProtectedFrame] = []
            for plane in planes.indices {
                // The planes share the content key and key region, so they share the block permutations.
                let protected = try stages.time("engine protect") {
                    try Engine.protect(enginePlanes[plane], keyRegion: keyRegion, configuration: engine, crypto: crypto,
                                       codec: Codecs.preferred, associatedData: associatedData(plane: plane), attachment: attachments[plane],
                                       scramble: protections.first?.scramble)
                }
                stages.record(engine: protected.report.timings)
                protections.append(protected)
            }
            return protections
        }
        var protections: [ProtectedFrame]
        do {
            // With a second rule to fall back on, a trial the estimates call hopeless is skipped.
            if engine.explicitKeyRegion == nil { engine.lastResortReach = EngineConfiguration.fallbackLastResortReach }
            protections = try embedEveryPlane()
        } catch let error as EngineError where error.isDoesNotFit && engine.explicitKeyRegion == nil {
            // Anatomy compresses worse than background: when its payload does not fit (8-bit
            // frames), the first rule gets a second chance: the paper's grid, at most half background.
            // Every candidate gets its trial from here on, so the same region is not refused unseen.
            engine.lastResortReach = nil
            engine.maximumKeyRegionBackground = 0.5
            engine.enclosedBackgroundIsAnatomy = false
            engine.keyRegionBackgroundSlack = 0.1
            engine.keyRegionStride = engine.keyRegionStride ?? keyRegion.width
            let fallback = try stages.time("key region") { try Engine.chooseKeyRegion(for: engineView, configuration: engine) }
            (choice, keyRegion) = (fallback, fallback.region)
            protections = try embedEveryPlane()
        }
        let wrapped = try stages.time("RSA-OAEP encrypt") {
            try RSAOAEP.encrypt(crypto.key + protections.flatMap { $0.parameters.encoded() }, for: recipient.publicKey)
        }
        let content = QRContent(basicInformation: basic, keyFingerprint: recipientFingerprint, wrappedKey: wrapped)
        let code = try stages.time("QR encode (libqrencode)") { try QRCode.encode(content.segments) }

        // Moved out of `protections`, so that pasting the QR does not copy each plane.
        var marked = protections.map(\.frame)
        for index in protections.indices { protections[index].frame.samples = [] }
        try stages.time("QR render + paste") {
            for plane in marked.indices {
                marked[plane].paste(try code.render(side: keyRegion.width, dark: ink.planes[plane].dark, light: ink.planes[plane].light,
                                                    minimumModulePixels: QRLayout.minimumModulePixels,
                                                    quietZoneModules: QRLayout.quietZoneModules), at: keyRegion)
            }
        }

        // Check before anything is written: the QR reads back, and the pixels restore exactly.
        let markedView = PixelFrame.luminance(ofPlanes: marked, geometry: geometry)
        let decoded = try stages.time("QR decode, key region (zbar)") {
            try QRScan.decode(gray8: ink.window.render(markedView, region: keyRegion), width: keyRegion.width, height: keyRegion.height)
        }
        guard decoded.contains(where: { $0.payload == content.bytes }) else {
            throw ProtectionError.verificationFailed("frame \(index + 1): the QR code does not read back")
        }
        var restorations: [Restoration] = []
        do {
            for (plane, protected) in protections.enumerated() {
                // Given the original, the engine compares the result with it (instead of hashing it).
                restorations.append(try stages.time("verify restore (engine)") {
                    try Engine.restore(marked[plane], parameters: protected.parameters, crypto: crypto, codecs: Codecs.all,
                                       associatedData: associatedData(plane: plane),
                                       expected: ExpectedRestoration(frame: enginePlanes[plane], checksum: protected.checksum),
                                       scramble: protected.scramble)
                })
            }
            if captured != nil {
                // Restore's own path: the sealed attachments as the payloads gave them back.
                let returned = try restorations.map { try FrameAttachment(decoding: $0.attachment) }
                var whole = restorations.map(\.frame)
                try FrameAttachment.hiddenText(from: returned)?.restore(into: &whole)
                guard whole.map(\.samples) == planes.map(\.samples), restorations.map(\.attachment) == attachments else {
                    throw EngineError.checksumMismatch
                }
            }
        } catch EngineError.checksumMismatch {
            throw ProtectionError.verificationFailed("frame \(index + 1): the in-memory restore differs from the original")
        }
        for plane in restorations.indices { restorations[plane].frame.samples = [] }  // checked: equal to the input
        var results: [FrameProtection] = []
        for (plane, protected) in protections.enumerated() {
            stages.record(engine: restorations[plane].timings)
            let report = ProtectedInstance.FrameReport(
                keyRegion: keyRegion, parameters: protected.parameters, payloadBytes: protected.report.payloadBytes,
                capacityBits: protected.report.capacityBits, qrVersion: code.version,
                keyRegionForeground: choice.foregroundShare,
                textRegions: textRegions, textExamined: examine)
            results.append(FrameProtection(original: planes[plane], marked: marked[plane], engineInput: enginePlanes[plane],
                                           markedKeyRegion: restorations[plane].markedKeyRegion,
                                           window: ink.window, report: report, engineReport: protected.report,
                                           checksum: planes.count == 1 ? captured?.hidden.originalChecksum ?? protected.checksum : protected.checksum))
        }
        guard results.count > 1 else { return results[0] }
        var whole = results[0]
        whole.report.payloadBytes = results.map(\.report.payloadBytes).reduce(0, +)
        whole.report.capacityBits = results.map(\.report.capacityBits).reduce(0, +)
        whole.report.planeParameters = results.map(\.report.parameters)
        whole.planes = results
        return whole
    }

    // MARK: Header

    /// What the output's pixels show, for the marks: whether identifying text may be left in them.
    enum PixelPrivacy: Equatable {
        /// Examined for burned-in text (hidden) and the QR's lines are not identifying: clean.
        case clean
        /// The QR's readable lines come from the original attributes.
        case identifyingQR
        /// Not examined: what the original declared about burned-in annotation still holds.
        case asDeclared(String?)
    }

    func pixelPrivacy(original: DataSet, pixelsProtected: Bool) -> PixelPrivacy {
        let declared = original.string(Tag(0x0028, 0x0301))?.uppercased()
        guard pixelsProtected else { return .asDeclared(declared) }
        if configuration.qr.readsOriginal { return .identifyingQR }
        return configuration.textRegions.examines(original) ? .clean : .asDeclared(declared)
    }

    /// Marks the dataset as de-identified (PS3.15 E.1.1) as far as that is true of the output:
    /// Patient Identity Removed, Burned In Annotation and the Clean Pixel Data option follow what
    /// the pixels show (`pixelPrivacy`).
    private func annotate(_ header: inout DataSet, original: DataSet, pixelsProtected: Bool, layout: ImageGeometry?) {
        let privacy = pixelPrivacy(original: original, pixelsProtected: pixelsProtected)
        let identifyingPixels = privacy == .identifyingQR || privacy == .asDeclared("YES")
        let options = configuration.deidentificationOptions.sorted { $0.rawValue < $1.rawValue }
        header.set(DataElement(tag: Tag(0x0012, 0x0062), vr: VR(rawValue: "CS"), string: identifyingPixels ? "NO" : "YES"))
        // (0012,0063) is LO, 1-n: one value per part, each within LO's 64 characters.
        // Enhanced multi-frame IODs (and a few others) allow only NO in Burned In Annotation: there
        // the QR's plain text is declared in the method description instead.
        let iod = header.string(.sopClassUID).flatMap(IODAttributeTypes.forSOPClass)
        let burnedInMayBeYes = iod?.burnedInAnnotationMustBeNo != true
        let method = ["dcmveil \(ProtectedInstance.toolVersion)", "\(PS315Table.standard) Basic Application Confidentiality Profile"]
            + options.map(\.code.meaning) + (privacy == .clean ? ["Clean Pixel Data Option"] : [])
            + (pixelsProtected ? [Self.protectedPixelsMethod] : [])
            + (privacy == .identifyingQR && !burnedInMayBeYes ? ["QR code with plain text burned into the pixels"] : [])
        header.set(DataElement(tag: Tag(0x0012, 0x0063), vr: VR(rawValue: "LO"), strings: method))
        let codes = [("113100", "Basic Application Confidentiality Profile")] + options.map(\.code)
            + (privacy == .clean ? [("113101", "Clean Pixel Data Option")] : [])
        header.set(DataElement(tag: Tag(0x0012, 0x0064), vr: VR(rawValue: "SQ"), value: .sequence(codes.map { code in
            var item = DataSet()
            item.set(DataElement(tag: Tag(0x0008, 0x0100), vr: VR(rawValue: "SH"), string: code.0))
            item.set(DataElement(tag: Tag(0x0008, 0x0102), vr: VR(rawValue: "SH"), string: "DCM"))
            item.set(DataElement(tag: Tag(0x0008, 0x0104), vr: VR(rawValue: "LO"), string: code.1))
            return item
        })))
        let dates = configuration.deidentificationOptions
        let temporal = dates.contains(.retainLongitudinalFullDates) ? "UNMODIFIED"
            : dates.contains(.retainLongitudinalModifiedDates) ? "MODIFIED" : "REMOVED"
        header.set(DataElement(tag: Tag(0x0028, 0x0303), vr: VR(rawValue: "CS"), string: temporal))
        switch privacy {
        case .clean:
            header.set(DataElement(tag: Tag(0x0028, 0x0301), vr: VR(rawValue: "CS"), string: "NO"))
        case .identifyingQR where burnedInMayBeYes:
            // The QR's identifying plain text is burned-in annotation.
            header.set(DataElement(tag: Tag(0x0028, 0x0301), vr: VR(rawValue: "CS"), string: "YES"))
        default:
            break  // as the original declared
        }
        if let layout {
            // Differ from the original for a decoded colour model (a JPEG's YBR decoded to RGB).
            header.set(DataElement(tag: .photometricInterpretation, vr: VR(rawValue: "CS"), string: layout.photometricInterpretation))
            if layout.planes > 1 { header.set(DataElement(tag: .planarConfiguration, uint16s: [UInt16(layout.planarConfiguration)])) }
            // Differs from the original only for frames protected as raw words.
            header.set(DataElement(tag: Tag(0x0028, 0x0101), uint16s: [UInt16(layout.bitsStored)]))
            header.set(DataElement(tag: Tag(0x0028, 0x0102), uint16s: [UInt16(layout.highBit)]))
            header.set(DataElement(tag: Tag(0x0028, 0x0103), uint16s: [UInt16(layout.pixelRepresentation)]))
        }
    }

    /// The method description value that says the pixels carry a dcmveil QR code and payload.
    static let protectedPixelsMethod = "dcmveil pixel protection: payload hidden, QR code burned in"

    /// Top-level attributes of `original` that `header` changed or dropped, and tags it added.
    static func changes(from original: DataSet, to header: DataSet) -> (originals: DataSet, added: [UInt32]) {
        var originals = DataSet()
        for element in original.elements where header[element.tag] != element {
            originals.set(element)
        }
        let added = header.elements.map(\.tag).filter { original[$0] == nil }.map { UInt32($0.group) << 16 | UInt32($0.element) }
        return (originals, added)
    }

    /// The byte-exact template: the file around its Pixel Data value when that value is the native
    /// words (`nativeWords`, little endian, every frame), in either byte order; else the whole file
    /// (compressed, deflated, or laid out otherwise), which costs its size in the output.
    func template(of file: DicomFile, nativeWords: [UInt8]?, fileSHA256: [UInt8]? = nil) -> OriginalFileTemplate {
        let bytes = file.originalBytes()
        let digest = fileSHA256 ?? SHA256.hash(bytes)
        if let nativeWords, !file.transferSyntax.isEncapsulated, !file.transferSyntax.isDeflated {
            let bigEndian = file.transferSyntax.isBigEndian
            for swap in bigEndian ? [2, 4, 0] : [0] {
                var value = swap == 2 ? nativeWords.byteSwapped16() : swap == 4 ? nativeWords.byteSwapped32() : nativeWords
                if value.count % 2 == 1 { value.append(0) }
                if var template = OriginalFileTemplate(file: bytes, pixelValue: value, bigEndian: bigEndian, fileSHA256: digest) {
                    template.swapWidth = swap
                    return template
                }
            }
        }
        return OriginalFileTemplate(wholeFile: bytes, fileSHA256: digest)
    }

    /// The value of a native Pixel Data element as `DicomFile.pixelElement` gives it (Explicit VR
    /// Little Endian: tag, VR, two reserved bytes, 32-bit length); nil for an encapsulated one.
    static func nativeValue(ofPixelElement element: [UInt8]) -> [UInt8]? {
        guard element.count >= 12 else { return nil }
        let length = Int(element[8]) | Int(element[9]) << 8 | Int(element[10]) << 16 | Int(element[11]) << 24
        return length == element.count - 12 ? Array(element[12...]) : nil
    }
}

/// One frame through protection, with everything the evaluation report shows.
package struct FrameProtection: Sendable {
    package var original: Frame
    /// The frame as the protected file holds it: scrambled texture with the payload, QR in the key region.
    package var marked: Frame
    /// What the key holder sees before the key region is put back: unscrambled, payload extracted, QR in place.
    package var intermediate: Frame { engineInput.pasting(markedKeyRegion, at: report.keyRegion) }
    /// The frame the engine protected (the original with text regions blanked) and the key region as
    /// marked: `intermediate` is derived from them when the evaluation asks for it.
    var engineInput: Frame
    var markedKeyRegion: Frame
    /// The display window the QR was drawn in.
    package var window: DisplayWindow
    package var report: ProtectedInstance.FrameReport
    package var engineReport: EmbeddingReport
    /// SHA-256 of the original frame as the engine's payload carries it (see `ProtectedFrame.checksum`).
    package var checksum: [UInt8]
    /// For colour frames, every plane's protection (the fields above are the first plane's, the
    /// report's payload and capacity the sums); empty for a single plane.
    package var planes: [FrameProtection] = []

    /// Every plane's marked values.
    package var markedPlanes: [Frame] { planes.isEmpty ? [marked] : planes.map(\.marked) }
}

/// What `protect` made of one instance.
package struct ProtectedInstance: Sendable {
    package static let toolVersion = "0.1.0"

    package var fileBytes: [UInt8]
    package var report: Report

    package struct Report: Sendable {
        /// Set when the pixels were left as they were, with the reason.
        package var headerOnlyReason: String?
        package var pixelSHA256: String?
        package var frames: [FrameReport] = []
        package var newUIDs: (study: String?, series: String?, instance: String?) = (nil, nil, nil)
        /// What else the manifest should say (e.g. a lossy input protected on its decoded values).
        package var notes: [String] = []
    }

    package struct FrameReport: Sendable {
        package var keyRegion: Region
        package var parameters: EmbeddingParameters
        package var payloadBytes: Int
        package var capacityBits: Int
        package var qrVersion: Int
        /// Share of the key region on the anatomy (see `Engine.foregroundShare`).
        package var keyRegionForeground: Double
        /// Burned-in text regions hidden, and whether OCR examined the frame.
        package var textRegions: [Region]
        package var textExamined: Bool
        /// Colour frames: every plane's parameters (`parameters` is the first's); empty otherwise.
        package var planeParameters: [EmbeddingParameters] = []
    }
}

extension [UInt8] {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
