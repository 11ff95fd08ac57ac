import VeilCore
import VeilCrypto
import VeilDICOM
import VeilOCR

/// Burned-in text (SPEC §3 step 1b): found by Tesseract and by the configuration's region rules,
/// hidden reversibly. The protector copies each text region's original samples into the frame's
/// sealed payload (as part of the attachment, so AES-GCM authenticates them with their rectangles)
/// and blanks the region before the engine runs; restore pastes them back after the engine.
/// A blanked region holds one value, so nothing of the text is left in the protected pixels.
package struct TextRegionSettings: Sendable, Codable, Equatable {
    /// "auto" (where burned-in text is common: `modalities`, Secondary Capture, Burned In
    /// Annotation = YES), "always" or "never".
    package var detect: String = "auto"
    /// Modalities examined in "auto".
    package var modalities: [String] = ["US", "SC", "OT", "XA", "RF", "ES", "DX", "CR"]
    /// Words Tesseract recognises with less confidence (0…100) are ignored.
    package var minimumConfidence: Double = 50
    /// Device rules in the manner of RSNA CTP's DicomPixelAnonymizer: rectangles always hidden on
    /// images that match (whatever `detect` says), for annotations OCR misses.
    package var rules: [Rule] = []

    package struct Rule: Sendable, Codable, Equatable {
        /// Matched against Manufacturer (0008,0070) and Manufacturer's Model Name (0008,1090) as
        /// case-insensitive prefixes; nil matches anything.
        package var manufacturer: String?
        package var model: String?
        package var rows: Int?
        package var columns: Int?
        /// [x, y, width, height] in pixels.
        package var regions: [[Int]]

        package init(manufacturer: String? = nil, model: String? = nil, rows: Int? = nil, columns: Int? = nil, regions: [[Int]]) {
            self.manufacturer = manufacturer
            self.model = model
            self.rows = rows
            self.columns = columns
            self.regions = regions
        }

        func matches(_ dataSet: DataSet, rows: Int, columns: Int) -> Bool {
            func prefix(_ wanted: String?, _ tag: Tag) -> Bool {
                guard let wanted else { return true }
                return (dataSet.string(tag) ?? "").uppercased().hasPrefix(wanted.uppercased())
            }
            return prefix(manufacturer, Tag(0x0008, 0x0070)) && prefix(model, Tag(0x0008, 0x1090))
                && (self.rows ?? rows) == rows && (self.columns ?? columns) == columns
        }
    }

    package init() {}

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        detect = try c.decodeIfPresent(String.self, forKey: .detect) ?? "auto"
        modalities = try c.decodeIfPresent([String].self, forKey: .modalities) ?? TextRegionSettings().modalities
        minimumConfidence = try c.decodeIfPresent(Double.self, forKey: .minimumConfidence) ?? 50
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
    }

    /// Whether OCR examines the pixels of an instance with these (original) attributes.
    func examines(_ dataSet: DataSet) -> Bool {
        switch detect {
        case "always": return true
        case "never": return false
        default:
            let modality = dataSet.string(.modality)?.uppercased() ?? ""
            let secondaryCapture = dataSet.string(.sopClassUID)?.hasPrefix("1.2.840.10008.5.1.4.1.1.7") == true
            return modalities.contains(modality) || secondaryCapture
                || dataSet.string(Tag(0x0028, 0x0301))?.uppercased() == "YES"
        }
    }

    func validate(source: String) throws(ProtectionError) {
        guard ["auto", "always", "never"].contains(detect) else {
            throw .configuration("\(source): textRegions.detect must be \"auto\", \"always\" or \"never\", not \"\(detect)\"")
        }
        for rule in rules {
            for region in rule.regions where region.count != 4 || region.contains(where: { $0 < 0 }) || region[2] == 0 || region[3] == 0 {
                throw .configuration("\(source): textRegions.rules: a region must be [x, y, width, height] with non-negative numbers, not \(region)")
            }
        }
    }
}

/// Finding text regions in one frame.
enum TextDetection {
    /// One recognizer (a pool of Tesseract engines) for the process, loaded on first use only, so
    /// a batch that never examines pixels never loads a language model.
    static let recognizer: Result<TextRecognizer, OCRError> = Result { () throws(OCRError) in try TextRecognizer() }

    /// The regions (even-aligned) to hide in `frame`: the rules' rectangles, plus the words OCR finds
    /// when `examine` (on the frame as `window` displays it). Overlapping regions are merged.
    static func regions(in frame: Frame, window: DisplayWindow, original: DataSet, settings: TextRegionSettings,
                        examine: Bool) throws -> [Region] {
        var found: [Region] = []
        for rule in settings.rules where rule.matches(original, rows: frame.height, columns: frame.width) {
            found += rule.regions.map { Region(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }
        }
        if examine {
            let recognizer = try recognizer.get()
            // Twice: a word next to a region blanked in the first pass often reads only then.
            var image = window.render(frame)
            for _ in 0..<2 {
                let words = try recognizer.words(gray8: image, width: frame.width, height: frame.height).filter { word in
                    word.confidence >= settings.minimumConfidence && word.alphanumerics >= 1
                        && word.height >= 4 && word.height <= max(frame.height / 4, 8)
                }
                guard !words.isEmpty else { break }
                let regions = words.map { word in
                    Region(x: word.x, y: word.y, width: word.width, height: word.height).dilated(by: max(2, word.height / 4))
                }
                found += regions
                for region in regions { blank(&image, width: frame.width, region: aligned(region, in: frame), value: window.grey(window.dark)) }
            }
        }
        return merged(found.map { aligned($0, in: frame) }.filter { !$0.isEmpty })
    }

    /// `region` grown to even coordinates and clipped to the frame. (An 8×8 grid would make every
    /// region whole flat blocks, but it more than doubled the area to carry on a real ultrasound —
    /// 41,000 against 17,000 pixels on US1 — and the payload then no longer fitted.)
    static func aligned(_ region: Region, in frame: Frame) -> Region {
        let side = 2
        let x = max(region.x, 0) / side * side, y = max(region.y, 0) / side * side
        let maxX = min((region.maxX + side - 1) / side * side, frame.width)
        let maxY = min((region.maxY + side - 1) / side * side, frame.height)
        return Region(x: x, y: y, width: maxX - x, height: maxY - y)
    }

    /// Overlapping or touching rectangles replaced by their bounding boxes, until none overlap.
    static func merged(_ regions: [Region]) -> [Region] {
        var result = regions
        var changed = true
        while changed {
            changed = false
            outer: for i in result.indices {
                for j in result.indices where j > i && result[i].intersects(result[j]) {
                    let (a, b) = (result[i], result[j])
                    let x = min(a.x, b.x), y = min(a.y, b.y)
                    result[i] = Region(x: x, y: y, width: max(a.maxX, b.maxX) - x, height: max(a.maxY, b.maxY) - y)
                    result.remove(at: j)
                    changed = true
                    break outer
                }
            }
        }
        return result.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
    }

    static func blank(_ image: inout [UInt8], width: Int, region: Region, value: UInt8) {
        for y in region.y..<region.maxY {
            for x in region.x..<region.maxX { image[y * width + x] = value }
        }
    }
}

/// The original samples of a frame's text regions, sealed in its payload (format 2, inside the
/// attachment after the instance binding): the rectangles, their samples in every plane, compressed,
/// and the SHA-256 of the whole original frame (the engine's own checksum is of the frame with the
/// regions blanked). Samples are bytes for ≤ 8-bit data, else 16-bit little-endian words; for RGB the
/// second and third planes are stored as differences from the first, which are nearly all zero where
/// text is grey. The encoded block is split across the planes' payloads (`FrameAttachment`), so a
/// colour frame's three payloads share its cost.
struct HiddenText: Equatable, Sendable {
    static let magic = Array("DVT2".utf8)

    var regions: [Region]
    var planes: Int
    var differencesFromFirstPlane: Bool
    var codec: UInt8
    var compressedSamples: [UInt8]
    var originalChecksum: [UInt8]

    /// Captures `regions` of every plane and returns the planes with them set to `blank[plane]`
    /// (nil: no regions).
    static func capture(_ regions: [Region], of planes: [Frame], blank: [Int32], differencesFromFirstPlane: Bool)
        throws -> (hidden: HiddenText, blanked: [Frame])? {
        guard !regions.isEmpty, let first = planes.first else { return nil }
        let wide = first.format.bitsStored > 8
        var bytes: [UInt8] = []
        var blanked = planes
        for (plane, frame) in planes.enumerated() {
            for region in regions {
                for y in region.y..<region.maxY {
                    for x in region.x..<region.maxX {
                        let index = y * frame.width + x
                        let reference = plane > 0 && differencesFromFirstPlane ? first.samples[index] : 0
                        let word = UInt16(truncatingIfNeeded: frame.samples[index] &- reference)
                        bytes.append(UInt8(word & 0xFF))
                        if wide { bytes.append(UInt8(word >> 8)) }
                        blanked[plane].samples[index] = blank[plane]
                    }
                }
            }
        }
        let codec = Codecs.preferred
        let hidden = HiddenText(regions: regions, planes: planes.count, differencesFromFirstPlane: differencesFromFirstPlane,
                                codec: codec.identifier, compressedSamples: try codec.compress(bytes),
                                originalChecksum: Self.checksum(planes))
        return (hidden, blanked)
    }

    init(regions: [Region], planes: Int, differencesFromFirstPlane: Bool, codec: UInt8, compressedSamples: [UInt8],
         originalChecksum: [UInt8]) {
        self.regions = regions
        self.planes = planes
        self.differencesFromFirstPlane = differencesFromFirstPlane
        self.codec = codec
        self.compressedSamples = compressedSamples
        self.originalChecksum = originalChecksum
    }

    /// SHA-256 of the planes' samples as 16-bit little-endian words, plane after plane (for one
    /// plane, exactly the engine's checksum of a frame).
    static func checksum(_ planes: [Frame]) -> [UInt8] {
        let hasher = SHA256.Hasher()
        for frame in planes {
            var bytes = [UInt8](repeating: 0, count: frame.samples.count * 2)
            for (i, v) in frame.samples.enumerated() {
                let word = UInt16(truncatingIfNeeded: v)
                bytes[2 * i] = UInt8(word & 0xFF)
                bytes[2 * i + 1] = UInt8(word >> 8)
            }
            bytes.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Puts the original samples back into `planes` (the engine's restored, blanked planes) and
    /// checks the whole frame's SHA-256.
    func restore(into planes: inout [Frame]) throws(ProtectionError) {
        guard planes.count == self.planes, let first = planes.first else {
            throw .tampered("the hidden text regions are for \(self.planes) planes, the frame has \(planes.count)")
        }
        let wide = first.format.bitsStored > 8
        let count = regions.reduce(0) { $0 + $1.width * $1.height } * planes.count * (wide ? 2 : 1)
        guard let codec = Codecs.all.first(where: { $0.identifier == self.codec }),
              let bytes = try? codec.decompress(compressedSamples, decompressedSize: count), bytes.count == count,
              regions.allSatisfy({ !$0.isEmpty && first.bounds.contains($0) })
        else { throw .tampered("the hidden text regions do not decode") }
        var i = 0
        for plane in planes.indices {
            let format = planes[plane].format
            for region in regions {
                for y in region.y..<region.maxY {
                    for x in region.x..<region.maxX {
                        let index = y * first.width + x
                        var word = UInt16(bytes[i])
                        if wide { word |= UInt16(bytes[i + 1]) << 8 }
                        i += wide ? 2 : 1
                        if plane > 0 && differencesFromFirstPlane { word = word &+ UInt16(truncatingIfNeeded: planes[0].samples[index]) }
                        if !wide { word &= 0xFF }
                        planes[plane].samples[index] = format.isSigned
                            ? (wide ? Int32(Int16(bitPattern: word)) : Int32(Int8(bitPattern: UInt8(word))))
                            : Int32(word)
                    }
                }
            }
        }
        guard Self.checksum(planes) == originalChecksum else {
            throw .tampered("the frame with its text regions put back differs from the original (SHA-256)")
        }
    }

    func encoded() -> [UInt8] {
        var out = Self.magic
        out.append(UInt8(planes))
        out.append(differencesFromFirstPlane ? 1 : 0)
        out.appendUInt32(UInt32(regions.count))
        for region in regions {
            for value in [region.x, region.y, region.width, region.height] { out.appendUInt32(UInt32(value)) }
        }
        out.append(codec)
        out.appendBlock(compressedSamples)
        out.appendBlock(originalChecksum)
        return out
    }

    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        var reader = ByteReader(bytes)
        do {
            guard try reader.take(4) == Self.magic else { throw ByteReader.Overrun() }
            planes = Int(try reader.take(1)[0])
            differencesFromFirstPlane = try reader.take(1)[0] == 1
            let count = try reader.uint32()
            guard count <= 4096, (1...4).contains(planes) else { throw ByteReader.Overrun() }
            regions = try (0..<count).map { _ in
                Region(x: Int(try reader.uint32()), y: Int(try reader.uint32()), width: Int(try reader.uint32()), height: Int(try reader.uint32()))
            }
            codec = try reader.take(1)[0]
            compressedSamples = try reader.block()
            originalChecksum = try reader.block()
            guard reader.isAtEnd else { throw ByteReader.Overrun() }
        } catch {
            throw .tampered("the hidden text regions are malformed")
        }
    }
}

/// What a plane's payload carries for the pipeline: the instance binding (identical in every plane
/// and frame, empty for callers without one) and this plane's share of the frame's hidden text.
struct FrameAttachment: Equatable, Sendable {
    var binding: [UInt8]
    var hiddenTextShare: [UInt8]

    /// Length-prefixed binding and share; empty for callers without either (the engine's own tests,
    /// format-1 payloads).
    func encoded() -> [UInt8] {
        guard !binding.isEmpty || !hiddenTextShare.isEmpty else { return [] }
        var out: [UInt8] = []
        out.appendBlock(binding)
        out.appendBlock(hiddenTextShare)
        return out
    }

    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        guard !bytes.isEmpty else {
            binding = []
            hiddenTextShare = []
            return
        }
        var reader = ByteReader(bytes)
        do {
            binding = try reader.block()
            hiddenTextShare = try reader.block()
            guard reader.isAtEnd else { throw ByteReader.Overrun() }
        } catch {
            throw .tampered("the frame attachment is malformed")
        }
    }

    init(binding: [UInt8], hiddenTextShare: [UInt8]) {
        self.binding = binding
        self.hiddenTextShare = hiddenTextShare
    }

    /// One attachment per plane: the hidden text's encoding cut into as many nearly equal shares.
    static func perPlane(binding: [UInt8], hiddenText: HiddenText?, planes: Int) -> [FrameAttachment] {
        let encoded = hiddenText?.encoded() ?? []
        let share = (encoded.count + planes - 1) / max(planes, 1)
        return (0..<planes).map { plane in
            let start = min(plane * share, encoded.count), end = min(start + share, encoded.count)
            return FrameAttachment(binding: binding, hiddenTextShare: Array(encoded[start..<end]))
        }
    }

    /// The frame's hidden text from its planes' attachments, in plane order (nil: none).
    static func hiddenText(from attachments: [FrameAttachment]) throws(ProtectionError) -> HiddenText? {
        let encoded = attachments.flatMap(\.hiddenTextShare)
        return encoded.isEmpty ? nil : try HiddenText(decoding: encoded)
    }
}
