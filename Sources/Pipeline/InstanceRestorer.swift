import VeilCore
import VeilCrypto
import VeilDICOM
import VeilQR

/// Restores one protected instance with the recipient's private key: pixels from the QR and the
/// hidden payload alone, attributes from the Encrypted Attributes Sequence, and the original
/// file byte for byte when the restoration record carries its template. Also re-identifies
/// files that only had their header de-identified (by dcmveil or by `gdcmanon -e`).
package struct InstanceRestorer: Sendable {
    package let key: PrivateKey
    let fingerprint: String

    package init(key: PrivateKey) {
        self.key = key
        fingerprint = key.publicKey.shortFingerprint.uppercased()
    }

    package func restore(_ file: DicomFile, stages: StageRecorder? = nil) throws -> RestoredInstance {
        let protected = file.dataSet
        var warnings: [String] = []
        // Read the record first to know what to expect, but report its failure after the pixels:
        // for a wrong key, the QR's fingerprint makes the clearer message.
        let recordResult = stages.time("restoration record (decrypt)") {
            Result { () throws(ProtectionError) in try PrivateRecord.record(in: protected, key: key) }
        }
        let pixelsWereProtected = ((try? recordResult.get()) ?? nil).map { $0.record.protectedFrames > 0 }
            ?? Self.declaresProtectedPixels(protected)

        // Pixels, and the binding their payloads carry (format 2; nil for format 1).
        var pixelBytes: [UInt8]? = nil
        var pixelChecksum: [UInt8]? = nil  // of `pixelBytes`, when a frame's verified checksum is exactly that
        var restoredFrames = 0
        var attachments: Set<[UInt8]> = []
        // Pixels a header-only output kept exactly as they came (maybe compressed, maybe 1-bit) are
        // not decoded: they stay as they are, and the record's binding covers their element.
        let headerOnlyByRecord = ((try? recordResult.get()) ?? nil).map { $0.authenticated && $0.record.protectedFrames == 0 } ?? false
        let decodable = InstanceProtector.headerOnlyReason(file, minimumSide: 0) == nil
        let keptPixelElement = file.hasPixelData && (headerOnlyByRecord || !decodable) ? try file.pixelElement() : nil
        if let geometry = file.geometry, keptPixelElement == nil {
            var restored: [UInt8] = []
            for index in 0..<geometry.frames {
                let pixels = try stages.time("decode frame (DCMTK)") { try file.frame(index) }
                if let original = try restoreFrame(pixels, index: index, header: protected, stages: stages) {
                    // The engine's (or the hidden text's) checksum, as in protect.
                    if geometry.pixelDataIsChecksumWords { pixelChecksum = original.checksum }
                    restored += original.bytes
                    attachments.insert(original.attachment)
                    restoredFrames += 1
                } else if pixelsWereProtected {
                    throw ProtectionError.corruptQR("frame \(index + 1) of \(geometry.frames): no readable dcmveil QR code (damaged or altered)")
                } else {
                    restored += pixels.bytes
                }
            }
            if restoredFrames > 0 && restoredFrames < geometry.frames {
                throw ProtectionError.tampered("only \(restoredFrames) of \(geometry.frames) frames carry a dcmveil QR code")
            }
            pixelBytes = restored
        }
        guard attachments.count <= 1 else { throw ProtectionError.mismatched("the frames were protected as parts of different instances") }
        let binding = try attachments.first.flatMap { $0.isEmpty ? nil : try InstanceBinding(decoding: $0) }
        // A protected file cut just before its Pixel Data still parses; its header must not come back alone.
        if pixelsWereProtected && !file.hasPixelData {
            throw ProtectionError.tampered("its pixels were protected, but it has no Pixel Data (cut before them?)")
        }

        // Attributes, accepted only when something authenticated vouches for them.
        let opened = try recordResult.get()
        let attributes = try stages.time("EAS (CMS decrypt)") { try EncryptedAttributes.open(in: protected, key: key) }
        if restoredFrames == 0 && attributes == nil {
            throw ProtectionError.notAProtectedImage("no dcmveil QR code in the pixels and no Encrypted Attributes Sequence")
        }
        try Self.checkBelonging(header: protected, binding: binding, record: opened, attributes: attributes,
                                pixelBytes: restoredFrames > 0 ? nil : keptPixelElement ?? pixelBytes, warnings: &warnings)
        let record = opened?.record
        var dataSet = protected
        if let originals = attributes?.originals {
            for element in originals.elements { dataSet.set(element) }
            let added = record.map { $0.addedTags.map { Tag(UInt16($0 >> 16), UInt16($0 & 0xFFFF)) } } ?? Self.usuallyAdded
            for tag in added where originals[tag] == nil { dataSet.remove(tag) }
        } else {
            warnings.append("no Encrypted Attributes Sequence: the attributes stay de-identified")
        }
        // The pixels say how to read them, whatever the header now says.
        try binding?.applyPixelDescription(to: &dataSet)
        for tag in PrivateRecord.tags(in: dataSet) where attributes?.originals[tag] == nil { dataSet.remove(tag) }
        if attributes?.originals[EncryptedAttributes.sequenceTag] == nil { dataSet.remove(EncryptedAttributes.sequenceTag) }

        // The file: byte-exact when the template is there and checks out.
        let pixelSHA256 = pixelChecksum?.hexString ?? (keptPixelElement ?? pixelBytes).map { SHA256.hash($0).hexString }
        if let template = record?.template {
            let words = pixelBytes ?? keptPixelElement.flatMap(InstanceProtector.nativeValue(ofPixelElement:)) ?? []
            let candidate = template.file(withNativeWords: words, bitsAllocated: file.geometry?.bitsAllocated ?? 8)
            if SHA256.hash(candidate) == template.fileSHA256 {
                return RestoredInstance(fileBytes: candidate, byteExact: true, pixelsRestored: restoredFrames > 0,
                                        pixelSHA256: pixelSHA256, warnings: warnings, fileSHA256: template.fileSHA256,
                                        originalPath: record?.originalPath)
            }
            warnings.append("the byte-exact template did not check out; wrote the restored attributes and pixels instead")
        } else if record == nil {
            warnings.append("no restoration record: the file is rebuilt from its attributes (not byte-exact)")
        } else {
            warnings.append("the restoration record has no copy of the original file (format 1, compressed input): not byte-exact")
        }
        var bytes = try stages.time("encode file (DCMTK)") {
            keptPixelElement == nil ? try DicomWriter.encodeFile(dataSet: dataSet, pixelData: pixelBytes)
                : try DicomWriter.encodeFile(dataSet: dataSet, keepingPixelDataOf: file)
        }
        if let meta = record?.fileMeta { bytes = DicomWriter.replacingMeta(of: bytes, with: meta) }  // the original's, but the transfer syntax
        return RestoredInstance(fileBytes: bytes, byteExact: false, pixelsRestored: restoredFrames > 0,
                                pixelSHA256: pixelSHA256, warnings: warnings, originalPath: record?.originalPath)
    }

    /// Refuses parts that do not belong together (SPEC §2 "Bound together"). What vouches for them:
    /// the binding sealed in the pixels' payload, else (header-only outputs) the authenticated
    /// record. Format-1 files and `gdcmanon` outputs have neither: their attributes are restored
    /// with a warning that says so. `headerOnlyPixels`: the pixel data of an output without a payload.
    static func checkBelonging(header: DataSet, binding: InstanceBinding?, record: PrivateRecord.Opened?,
                               attributes: (originals: DataSet, plaintextSHA256: [UInt8])?,
                               pixelBytes headerOnlyPixels: [UInt8]?, warnings: inout [String]) throws(ProtectionError) {
        if let binding {
            try binding.check(header: header, encryptedAttributesSHA256: attributes?.plaintextSHA256, recordSHA256: record?.plaintextSHA256)
            return
        }
        if let record, record.authenticated, let vouched = record.record.binding {
            guard record.record.protectedFrames == 0 else {
                throw .mismatched("the restoration record belongs to an instance whose pixels carry a payload; these pixels carry none of format 2")
            }
            let headerUID = header.string(.sopInstanceUID) ?? ""
            guard headerUID == vouched.protectedSOPInstanceUID else {
                throw .mismatched("the restoration record was written for instance \(vouched.protectedSOPInstanceUID), the header is instance \(headerUID)")
            }
            if let attributes, attributes.plaintextSHA256 != vouched.encryptedAttributesSHA256 {
                throw .mismatched("the Encrypted Attributes Sequence does not belong to this instance (moved from another instance or altered)")
            }
            if let headerOnlyPixels, !vouched.pixelSHA256.isEmpty, SHA256.hash(headerOnlyPixels) != vouched.pixelSHA256 {
                throw .mismatched("the pixel data is not the one this instance was protected with (moved from another instance or altered)")
            }
            return
        }
        if attributes != nil {
            warnings.append("the attributes are not authenticated (a format-1 or gdcmanon file: nothing binds its Encrypted Attributes Sequence to it)")
        }
    }

    /// Whether a header says dcmveil protected its pixels (for files that lost the restoration record).
    static func declaresProtectedPixels(_ dataSet: DataSet) -> Bool {
        guard let method = dataSet[Tag(0x0012, 0x0063)]?.strings, method.first?.hasPrefix("dcmveil") == true else { return false }
        // Format 1 said it only with Burned In Annotation = YES.
        return method.contains(InstanceProtector.protectedPixelsMethod) || dataSet.string(Tag(0x0028, 0x0301)) == "YES"
    }

    /// Tags dcmveil and gdcmanon add when de-identifying, removed on re-identification when no
    /// restoration record says exactly which were added.
    static let usuallyAdded = [Tag(0x0012, 0x0062), Tag(0x0012, 0x0063), Tag(0x0012, 0x0064),
                               Tag(0x0028, 0x0303), Tag(0x0028, 0x0301)]

    /// The original pixel bytes of one frame with the attachment sealed in its payload, or nil when
    /// the frame has no dcmveil QR code. `header` (the protected file's) gives a palette's QR window.
    func restoreFrame(_ pixels: PixelFrame, index: Int, header: DataSet? = nil,
                      stages: StageRecorder? = nil) throws -> (bytes: [UInt8], attachment: [UInt8], checksum: [UInt8])? {
        let geometry = pixels.geometry
        guard geometry.colourModel != nil else { return nil }
        let palette = geometry.colourModel == .palette ? header.flatMap(Palette.init)?.qrWindow(format: geometry.sampleFormat) : nil
        guard let (content, _) = try stages.time("QR search (zbar)", {
            try Self.findQR(in: pixels.luminance, geometry: geometry, extraWindows: palette.map { [$0] } ?? [])
        }) else {
            return nil
        }
        guard content.keyFingerprint == fingerprint else {
            throw ProtectionError.wrongKey(protectedFor: content.keyFingerprint, given: fingerprint)
        }
        let unwrapped: [UInt8]
        do {
            unwrapped = try stages.time("RSA-OAEP decrypt") { try RSAOAEP.decrypt(content.wrappedKey, with: key) }
        } catch {
            throw ProtectionError.tampered("frame \(index + 1): the QR's key block does not decrypt (\(error))")
        }
        guard unwrapped.count > ContentKeyCrypto.keySize else { throw ProtectionError.corruptQR("the key block is too short") }
        let crypto = ContentKeyCrypto(key: Array(unwrapped.prefix(ContentKeyCrypto.keySize)))
        let parameterBytes = Array(unwrapped.dropFirst(ContentKeyCrypto.keySize))
        let size = EmbeddingParameters.encodedSize
        guard parameterBytes.count == size * geometry.planes else {
            throw ProtectionError.mismatched("frame \(index + 1): the QR carries parameters for \(parameterBytes.count / size) planes, the frame has \(geometry.planes)")
        }
        var planes: [Frame] = []
        var attachments: [FrameAttachment] = []
        var scramble: PreparedScramble?  // the planes share the block permutations (one content key)
        var checksums: [[UInt8]] = []
        for plane in 0..<geometry.planes {
            let frame = pixels.planeFrame(plane)
            let parameters = try EmbeddingParameters(decoding: Array(parameterBytes[(plane * size)..<((plane + 1) * size)]))
            let associatedData = FrameBinding.associatedData(frame: frame, index: index, keyRegion: parameters.keyRegion,
                                                             basicText: content.basicText, plane: geometry.planes > 1 ? plane : nil)
            do {
                let restored = try stages.time("engine restore") {
                    try Engine.restore(frame, parameters: parameters, crypto: crypto, codecs: Codecs.all,
                                       associatedData: associatedData, scramble: scramble)
                }
                scramble = restored.scramble
                checksums.append(restored.checksum)
                stages.record(engine: restored.timings)
                planes.append(restored.frame)
                attachments.append(try FrameAttachment(decoding: restored.attachment))
            } catch {
                throw ProtectionError.tampered("frame \(index + 1)\(geometry.planes > 1 ? ", plane \(plane + 1)" : ""): \(error)")
            }
        }
        guard Set(attachments.map(\.binding)).count == 1, let binding = attachments.first?.binding else {
            throw ProtectionError.mismatched("frame \(index + 1): the planes were protected as parts of different instances")
        }
        // Burned-in text regions go back where they were (checked against the original's checksum).
        let hidden: HiddenText?
        do {
            hidden = try FrameAttachment.hiddenText(from: attachments)
            try hidden?.restore(into: &planes)
        } catch {
            throw ProtectionError.tampered("frame \(index + 1): \(error)")
        }
        let bytes = stages.time("samples → words") { PixelFrame(geometry: geometry, planes: planes.map(\.samples)).bytes }
        return (bytes, binding, hidden?.originalChecksum ?? checksums[0])
    }

    /// The dcmveil QR code in `frame`, looked for through the header's window and then through
    /// the frame's own range (in case the window was changed on the way).
    /// `frame` is the brightness view (`PixelFrame.luminance`); `extraWindows` are tried first (a palette's).
    static func findQR(in frame: Frame, geometry: ImageGeometry,
                       extraWindows: [DisplayWindow] = []) throws -> (QRContent, bounds: (x: Int, y: Int, width: Int, height: Int))? {
        let inverted = geometry.colourModel == .monochrome(inverted: true)
        let header = geometry.planes == 1 ? DisplayWindow(geometry: geometry, format: frame.format) : nil
        let windows = extraWindows + [header, DisplayWindow(frame: frame, inverted: inverted)].compactMap { $0 }
        var firstError: ProtectionError?
        for window in windows {
            // First where the QR most likely is (rendering the whole frame and running zbar over
            // it costs several times more); the whole frame is searched whenever that finds no
            // dcmveil QR code.
            if let area = likelyQRArea(in: frame, window: window) {
                let crop = window.render(frame, region: area)
                for code in (try? QRScan.decode(gray8: crop, width: area.width, height: area.height)) ?? [] {
                    if let content = try? QRContent(decoding: code.payload) {
                        return (content, (code.bounds.x + area.x, code.bounds.y + area.y, code.bounds.width, code.bounds.height))
                    }
                }
            }
            let gray = window.render(frame)
            let codes = (try? QRReader.decode(gray8: gray, width: frame.width, height: frame.height)) ?? []
            for code in codes {
                do {
                    return (try QRContent(decoding: code.payload), code.bounds)
                } catch {
                    firstError = firstError ?? error
                }
            }
        }
        if let firstError, case .notAProtectedImage = firstError { return nil }
        if let firstError { throw firstError }
        return nil
    }
}

/// The bounding box, with a margin, of the largest 8-connected group of 8×8 cells that `window`
/// renders all black or white with some of each — what a QR code drawn in the window's extremes at
/// ≥ 2 px per module looks like, and texture rarely does. Cells lie on the 8-pixel grid, and then on
/// that grid shifted by 4 px if the first finds nothing: modules of a multiple of 8 px aligned with
/// the grid fill whole cells with one colour (a 1760² CR's QR has 8-px modules at x = 24, and was
/// only found by rendering the whole frame, 50 ms). Nil when no group of at least 16 such cells
/// exists. Works on the stored values, so only the area found is rendered.
func likelyQRArea(in frame: Frame, window: DisplayWindow) -> Region? {
    for shift in [0, 4] {
        if let area = likelyQRArea(in: frame, window: window, gridOffset: shift) { return area }
    }
    return nil
}

private func likelyQRArea(in frame: Frame, window: DisplayWindow, gridOffset offset: Int) -> Region? {
    let cell = 8
    let (width, columns, rows) = (frame.width, (frame.width - offset) / cell, (frame.height - offset) / cell)
    guard columns > 0, rows > 0 else { return nil }
    let (lowest, highest) = window.saturation
    var marked = [Bool](repeating: false, count: columns * rows)
    frame.samples.withUnsafeBufferPointer { px in
        for cy in 0..<rows {
            for cx in 0..<columns {
                // Bit 0: some value renders black, bit 1: some white, bit 2: some grey (branch-free per row).
                var seen: UInt8 = 0
                for y in (offset + cy * cell)..<(offset + cy * cell + cell) {
                    let row = y * width + offset + cx * cell
                    for x in row..<(row + cell) {
                        let v = px[x]
                        let isDark: UInt8 = v <= lowest ? 1 : 0, isLight: UInt8 = v >= highest ? 2 : 0
                        seen |= isDark | isLight | ((isDark | isLight) == 0 ? 4 : 0)
                    }
                    if seen & 4 != 0 { break }
                }
                marked[cy * columns + cx] = seen == 3
            }
        }
    }
    var seen = [Bool](repeating: false, count: columns * rows)
    var best: (count: Int, minX: Int, minY: Int, maxX: Int, maxY: Int)?
    var stack: [Int] = []
    for start in marked.indices where marked[start] && !seen[start] {
        seen[start] = true
        stack.append(start)
        var group = (count: 0, minX: Int.max, minY: Int.max, maxX: Int.min, maxY: Int.min)
        while let index = stack.popLast() {
            let (cx, cy) = (index % columns, index / columns)
            group = (group.count + 1, min(group.minX, cx), min(group.minY, cy), max(group.maxX, cx), max(group.maxY, cy))
            for ny in max(cy - 1, 0)...min(cy + 1, rows - 1) {
                for nx in max(cx - 1, 0)...min(cx + 1, columns - 1) where marked[ny * columns + nx] && !seen[ny * columns + nx] {
                    seen[ny * columns + nx] = true
                    stack.append(ny * columns + nx)
                }
            }
        }
        if group.count > best?.count ?? 0 { best = group }
    }
    guard let best, best.count >= 16 else { return nil }
    // The quiet zone and the outermost modules may sit in cells that are not marked.
    let margin = 3 * cell
    let x = max(offset + best.minX * cell - margin, 0), y = max(offset + best.minY * cell - margin, 0)
    let maxX = min(offset + (best.maxX + 1) * cell + margin, frame.width), maxY = min(offset + (best.maxY + 1) * cell + margin, frame.height)
    return Region(x: x, y: y, width: maxX - x, height: maxY - y)
}

/// What `restore` made of one instance.
package struct RestoredInstance: Sendable {
    package var fileBytes: [UInt8]
    /// The file is the original, byte for byte (its SHA-256 was checked).
    package var byteExact: Bool
    package var pixelsRestored: Bool
    /// SHA-256 (hex) of the restored decoded pixel data, as `protect` recorded it in `pixel_sha256`.
    package var pixelSHA256: String?
    package var warnings: [String]
    /// SHA-256 of `fileBytes` when it was checked (byte-exact files: the original's digest).
    package var fileSHA256: [UInt8]? = nil
    /// The input's relative path when it was protected (from the authenticated record), if known.
    package var originalPath: String? = nil
}
