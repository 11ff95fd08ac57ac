import VeilDICOM
#if canImport(Glibc)
import Glibc
#endif

/// What restore needs beyond the pixels and the Encrypted Attributes Sequence to give back the
/// original exactly. It travels encrypted to the recipient in a private element, so an archive
/// that drops private elements costs only byte-exactness, never the pixels.
///
/// Format 2 ("DVR2", sealed with AES-256-GCM, see `PrivateRecord`) adds what binds the instance's
/// parts when no pixel payload does (header-only outputs): the Encrypted Attributes Sequence's
/// plaintext digest, the protected SOP Instance UID and the pixel data's digest. Format 1 ("DVR1",
/// CMS-CBC, unauthenticated) is still read.
struct RestorationRecord: Equatable, Sendable {
    static let magicVersion1 = Array("DVR1".utf8)
    static let magic = Array("DVR2".utf8)

    /// Frames whose pixels were protected (0 for header-only protection): restore then insists on
    /// finding every frame's QR code instead of quietly returning scrambled pixels.
    var protectedFrames: Int
    /// Attributes that de-identification added (the original did not have them).
    var addedTags: [UInt32]
    /// The original file around its Pixel Data value (uncompressed inputs), or the whole original file
    /// (compressed or deflated inputs, whose bytes cannot be rebuilt from decoded pixels).
    var template: OriginalFileTemplate?
    /// Format 2 only (nil when read from format 1).
    var binding: Binding?
    /// Format 2 only: the original File Meta Information, so a file restored from its attributes
    /// keeps it (Source AE Title, implementation…); only the transfer syntax then says how it was written.
    var fileMeta: [DataElement]? = nil
    /// Format 2 only: the input's path relative to the folder protect was given (nil: not known),
    /// so restore writes the original back where it was, whatever the protected layout.
    var originalPath: String? = nil

    struct Binding: Equatable, Sendable {
        /// SHA-256 of the Encrypted Attributes Sequence's plaintext.
        var encryptedAttributesSHA256: [UInt8]
        var protectedSOPInstanceUID: String
        /// SHA-256 of every frame's decoded bytes as the output holds them: set for header-only
        /// outputs, whose pixels nothing else vouches for; empty when the pixels carry a payload.
        var pixelSHA256: [UInt8]
    }

    func encoded() -> [UInt8] {
        var out = binding == nil ? Self.magicVersion1 : Self.magic
        out.appendUInt32(UInt32(protectedFrames))
        out.appendUInt32(UInt32(addedTags.count))
        for tag in addedTags { out.appendUInt32(tag) }
        if let template, template.isWholeFile {
            out.append(2)
            out.appendBlock(template.prefix)
            out.appendBlock(template.fileSHA256)
        } else if let template, let swap = template.swapWidth {
            out.append(3)
            out.append(UInt8(swap))
            out.appendBlock(template.prefix)
            out.appendBlock(template.suffix)
            out.appendBlock(template.fileSHA256)
        } else if let template {
            out.append(1)
            out.append(template.bigEndian ? 1 : 0)
            out.appendBlock(template.prefix)
            out.appendBlock(template.suffix)
            out.appendBlock(template.fileSHA256)
        } else {
            out.append(0)
        }
        if let binding {
            out.appendBlock(binding.encryptedAttributesSHA256)
            out.appendBlock(Array(binding.protectedSOPInstanceUID.utf8))
            out.appendBlock(binding.pixelSHA256)
            let meta = fileMeta ?? []
            out.appendUInt32(UInt32(meta.count))
            for element in meta {
                out.appendUInt32(element.tag.code)
                out.append(contentsOf: Array(element.vr.rawValue.utf8.prefix(2)))
                out.appendBlock(element.bytes ?? [])
            }
            out.appendBlock(Array((originalPath ?? "").utf8))
        }
        return out
    }

    init(protectedFrames: Int, addedTags: [UInt32], template: OriginalFileTemplate?, binding: Binding?) {
        self.protectedFrames = protectedFrames
        self.addedTags = addedTags
        self.template = template
        self.binding = binding
    }

    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        var reader = ByteReader(bytes)
        let magic = try? reader.take(4)
        guard magic == Self.magic || magic == Self.magicVersion1 else { throw .unsupportedFormat("unknown restoration record") }
        do {
            protectedFrames = Int(try reader.uint32())
            let count = try reader.uint32()
            guard count <= 100_000 else { throw ProtectionError.tampered("restoration record is malformed") }
            addedTags = try (0..<count).map { _ in try reader.uint32() }
            switch try reader.take(1)[0] {
            case 1:
                let bigEndian = try reader.take(1)[0] == 1
                template = OriginalFileTemplate(prefix: try reader.block(), suffix: try reader.block(),
                                                bigEndian: bigEndian, fileSHA256: try reader.block())
            case 2 where magic == Self.magic:
                template = OriginalFileTemplate(wholeFile: try reader.block(), fileSHA256: try reader.block())
            case 3 where magic == Self.magic:
                let swap = Int(try reader.take(1)[0])
                guard [0, 2, 4].contains(swap) else { throw ByteReader.Overrun() }
                template = OriginalFileTemplate(prefix: try reader.block(), suffix: try reader.block(),
                                                bigEndian: swap != 0, fileSHA256: try reader.block())
                template?.swapWidth = swap
            case 0:
                template = nil
            default:
                throw ByteReader.Overrun()
            }
            if magic == Self.magic {
                binding = Binding(encryptedAttributesSHA256: try reader.block(),
                                  protectedSOPInstanceUID: String(decoding: try reader.block(), as: UTF8.self), pixelSHA256: try reader.block())
                let count = try reader.uint32()
                guard count <= 64 else { throw ByteReader.Overrun() }
                fileMeta = try (0..<count).map { _ in
                    let code = try reader.uint32()
                    let vr = VR(rawValue: String(decoding: try reader.take(2), as: UTF8.self))
                    return DataElement(tag: Tag(UInt16(code >> 16), UInt16(code & 0xFFFF)), vr: vr, bytes: try reader.block())
                }
                let path = String(decoding: try reader.block(), as: UTF8.self)
                originalPath = path.isEmpty ? nil : path
            } else {
                binding = nil
            }
            guard reader.isAtEnd else { throw ByteReader.Overrun() }
        } catch {
            throw .tampered("restoration record is malformed")
        }
    }
}

/// The original file's bytes with the Pixel Data value cut out: prefix ‖ pixel value ‖ suffix.
/// Restoring puts the restored pixel words back in the file's byte order between them and checks
/// the whole file's SHA-256, so a byte-exact restore is either exact or not claimed.
struct OriginalFileTemplate: Equatable, Sendable {
    var prefix: [UInt8]
    var suffix: [UInt8]
    /// Format 1: the file is big endian, and 16-bit words were swapped.
    var bigEndian: Bool
    var fileSHA256: [UInt8]
    /// Format 2: the word size (2 or 4) whose bytes were swapped to give the file's pixel value from
    /// the little-endian native words, 0 for none; nil in format-1 records (see `bigEndian`).
    var swapWidth: Int? = nil
    /// Format 2: `prefix` is the whole original file (compressed pixels), nothing is spliced in.
    var isWholeFile = false

    /// The whole original file, for inputs whose pixel value is not the native words.
    init(wholeFile: [UInt8], fileSHA256: [UInt8]) {
        prefix = wholeFile
        suffix = []
        bigEndian = false
        self.fileSHA256 = fileSHA256
        isWholeFile = true
    }

    /// The file from the native little-endian words of every frame: spliced in (after the byte swap
    /// the template records), or not needed at all for a whole-file template.
    func file(withNativeWords words: [UInt8], bitsAllocated: Int) -> [UInt8] {
        if isWholeFile { return prefix }
        let width = swapWidth ?? (bigEndian && bitsAllocated == 16 ? 2 : 0)
        var value = width == 2 ? words.byteSwapped16() : width == 4 ? words.byteSwapped32() : words
        if value.count % 2 == 1 { value.append(0) }
        return file(withPixelValue: value)
    }

    /// Finds the Pixel Data value in `file`: the bytes equal to `pixelValue` right after an
    /// element header for (7FE0,0010) in either byte order and VR form. Nil when the file does not
    /// hold its pixels that way (compressed, deflated, or odd).
    init?(file: [UInt8], pixelValue: [UInt8], bigEndian: Bool, fileSHA256: [UInt8]) {
        let tag: [UInt8] = bigEndian ? [0x7F, 0xE0, 0x00, 0x10] : [0xE0, 0x7F, 0x10, 0x00]
        let count = pixelValue.count
        guard file.count >= count + 8 else { return nil }
        var position = file.count - count - 8
        while position >= 132 {
            if file[position] == tag[0], file[position + 1] == tag[1], file[position + 2] == tag[2], file[position + 3] == tag[3] {
                // Explicit VR (OB/OW + 2 reserved bytes + 4-byte length) or implicit VR (4-byte length).
                for headerLength in [12, 8] where position + headerLength + count <= file.count {
                    let start = position + headerLength
                    let equal = file.withUnsafeBytes { file in
                        pixelValue.withUnsafeBytes { value in count == 0 || memcmp(file.baseAddress! + start, value.baseAddress!, count) == 0 }
                    }
                    if equal {
                        prefix = Array(file[..<start])
                        suffix = Array(file[(start + count)...])
                        self.bigEndian = bigEndian
                        self.fileSHA256 = fileSHA256
                        return
                    }
                }
            }
            position -= 1
        }
        return nil
    }

    init(prefix: [UInt8], suffix: [UInt8], bigEndian: Bool, fileSHA256: [UInt8]) {
        self.prefix = prefix
        self.suffix = suffix
        self.bigEndian = bigEndian
        self.fileSHA256 = fileSHA256
    }

    func file(withPixelValue pixelValue: [UInt8]) -> [UInt8] {
        prefix + pixelValue + suffix
    }
}

extension [UInt8] {
    mutating func appendUInt32(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendBlock(_ bytes: [UInt8]) {
        appendUInt32(UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}

struct ByteReader {
    struct Overrun: Error {}

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw Overrun() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint32() throws -> UInt32 {
        try take(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func block() throws -> [UInt8] {
        try take(Int(uint32()))
    }

}
