internal import CPNG

/// A decoded PNG image.
package struct PNGImage: Equatable, Sendable {
    package let width: Int
    package let height: Int
    /// 8 or 16 (palette and 1/2/4-bit gray images are expanded to 8).
    package let bitDepth: Int
    /// 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    package let channels: Int
    /// Row-major, interleaved samples, each in 0...(2^bitDepth − 1).
    package let samples: [UInt16]
}

/// Why a PNG could not be written or read (libpng's message).
package struct PNGError: Error, Equatable, CustomStringConvertible, Sendable {
    package let message: String
    package var description: String { "PNG: \(message)" }
}

/// PNG encoding and decoding in memory with libpng: QR test images for `zbarimg`, the evaluation
/// report's pictures, and PNG stego covers. Images are limited to 16384 pixels a side.
package enum PNG {
    /// An 8-bit grayscale PNG.
    package static func write(gray8 samples: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try encode(samples, width: width, height: height, bitDepth: 8, channels: 1)
    }

    /// A 16-bit grayscale PNG (lossless for any DICOM frame up to 16 bits stored).
    package static func write(gray16 samples: [UInt16], width: Int, height: Int) throws -> [UInt8] {
        try encode(samples, width: width, height: height, bitDepth: 16, channels: 1)
    }

    /// An 8-bit RGB PNG; `samples` interleaved R, G, B.
    package static func write(rgb8 samples: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        try encode(samples, width: width, height: height, bitDepth: 8, channels: 3)
    }

    package static func read(_ bytes: [UInt8]) throws -> PNGImage {
        var image = cpng_image()
        try withMessage { message, size in
            bytes.withUnsafeBufferPointer { cpng_decode($0.baseAddress, $0.count, &image, message, size) }
        }
        defer { cpng_free(&image.samples) }
        let raw = UnsafeRawBufferPointer(start: image.samples.bytes, count: image.samples.count)
        let samples = image.bit_depth == 16
            ? raw.withMemoryRebound(to: UInt16.self) { Array($0) }
            : raw.map(UInt16.init)
        return PNGImage(width: Int(image.width), height: Int(image.height), bitDepth: Int(image.bit_depth),
                        channels: Int(image.channels), samples: samples)
    }

    private static func encode<Sample>(
        _ samples: [Sample], width: Int, height: Int, bitDepth: Int32, channels: Int32
    ) throws -> [UInt8] {
        guard width > 0, height > 0, width <= CPNG_MAX_SIDE, height <= CPNG_MAX_SIDE else {
            throw PNGError(message: "cannot write a \(width)×\(height) image (1...\(CPNG_MAX_SIDE) pixels a side)")
        }
        guard samples.count == width * height * Int(channels) else {
            throw PNGError(message: "\(samples.count) samples for \(width)×\(height) pixels with \(channels) channel(s)")
        }
        var png = cpng_buffer()
        try withMessage { message, size in
            samples.withUnsafeBytes {
                cpng_encode($0.baseAddress, UInt32(width), UInt32(height), bitDepth, channels, &png, message, size)
            }
        }
        defer { cpng_free(&png) }
        return Array(UnsafeBufferPointer(start: png.bytes, count: png.count))
    }

    /// Runs a CPNG call that returns 0 on success and otherwise leaves a message.
    private static func withMessage(_ call: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var message = [CChar](repeating: 0, count: 256)
        let status = call(&message, message.count)
        guard status == 0 else {
            throw PNGError(message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}
