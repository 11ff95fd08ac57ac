internal import CJPEG2000

/// JPEG 2000 pixel data (lossless and lossy Part 1, and HTJ2K as far as OpenJPEG decodes it), which
/// DCMTK 3.6.7 has no codec for: DCMTK hands over each frame's fragments, OpenJPEG decodes them.
enum JPEG2000 {
    static let transferSyntaxes: Set<String> = [
        "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",                            // lossless only, lossy
        "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", // HTJ2K
    ]

    struct Failure: Error { let message: String }

    /// One frame's codestream → native little-endian words of `geometry` (pixel by pixel), with the
    /// colour model of the decoded samples: RGB when the codestream's colour transform was undone.
    static func decode(_ codestream: [UInt8], geometry: ImageGeometry) throws(Failure) -> (bytes: [UInt8], colorModel: String) {
        var image = cj2k_image()
        var message = [CChar](repeating: 0, count: 256)
        guard cj2k_decode(codestream, codestream.count, &image, &message) == 0 else {
            throw Failure(message: "JPEG 2000: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { cj2k_image_free(&image) }
        guard Int(image.width) == geometry.columns, Int(image.height) == geometry.rows,
              Int(image.components) == geometry.samplesPerPixel else {
            throw Failure(message: "JPEG 2000 codestream is \(image.width)×\(image.height)×\(image.components), the header says "
                          + "\(geometry.columns)×\(geometry.rows)×\(geometry.samplesPerPixel)")
        }
        let count = geometry.samplesPerFrame
        let shift = Int32(geometry.highBit + 1 - geometry.bitsStored)
        let samples = UnsafeBufferPointer(start: image.samples, count: count)
        var bytes = [UInt8](repeating: 0, count: count * geometry.bitsAllocated / 8)
        if geometry.bitsAllocated == 8 {
            for index in 0..<count { bytes[index] = UInt8(truncatingIfNeeded: samples[index] << shift) }
        } else {
            for index in 0..<count {
                let word = UInt16(truncatingIfNeeded: samples[index] << shift)
                bytes[2 * index] = UInt8(truncatingIfNeeded: word)
                bytes[2 * index + 1] = UInt8(truncatingIfNeeded: word >> 8)
            }
        }
        // DICOM's YBR_RCT and YBR_ICT are the codestream's own colour transform, which OpenJPEG undoes.
        let transformed = image.colour_transformed || ["YBR_RCT", "YBR_ICT"].contains(geometry.photometricInterpretation)
        return (bytes, image.components >= 3 && transformed ? "RGB" : "")
    }
}
