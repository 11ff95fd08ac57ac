internal import CQR

/// A QR code found in an image by zbar.
package struct DecodedQR: Sendable {
    /// The decoded bytes, exactly as encoded (all segments concatenated).
    package let payload: [UInt8]
    /// The smallest axis-aligned rectangle around the code's corners, in pixels.
    package let bounds: (x: Int, y: Int, width: Int, height: Int)

    package init(payload: [UInt8], bounds: (x: Int, y: Int, width: Int, height: Int)) {
        self.payload = payload
        self.bounds = bounds
    }
}

/// Finds and decodes QR codes anywhere in an 8-bit grayscale image, with zbar.
///
/// This is how dcmveil locates the key region when nothing but the pixels survived, so the reader is
/// given the whole frame, not a hint where to look. zbar runs in binary mode: without it, zbar would
/// guess a text encoding and convert the bytes; with it, the payload comes back untouched.
package enum QRReader {
    package static func decode(gray8 pixels: [UInt8], width: Int, height: Int) throws -> [DecodedQR] {
        guard width > 0, height > 0, pixels.count == width * height else {
            throw QRError.invalidImage("\(pixels.count) samples for \(width)×\(height) pixels")
        }
        guard width <= Int(UInt32.max), height <= Int(UInt32.max) else { throw QRError.invalidImage("too large") }

        guard let scanner = zbar_image_scanner_create() else { throw QRError.libraryFailure("zbar cannot create a scanner") }
        defer { zbar_image_scanner_destroy(scanner) }
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1)

        guard let image = zbar_image_create() else { throw QRError.libraryFailure("zbar cannot create an image") }
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, fourCC("Y800"))  // 8-bit grayscale
        zbar_image_set_size(image, UInt32(width), UInt32(height))

        return try pixels.withUnsafeBytes { buffer in
            // zbar reads the samples in place and does not free them (no cleanup handler).
            zbar_image_set_data(image, buffer.baseAddress, UInt(buffer.count), nil)
            guard zbar_scan_image(scanner, image) >= 0 else { throw QRError.libraryFailure("zbar failed to scan the image") }
            var found: [DecodedQR] = []
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if zbar_symbol_get_type(current) == ZBAR_QRCODE {
                    found.append(DecodedQR(payload: payload(of: current), bounds: bounds(of: current)))
                }
                symbol = zbar_symbol_next(current)
            }
            return found
        }
    }

    private static func payload(of symbol: OpaquePointer) -> [UInt8] {
        let count = Int(zbar_symbol_get_data_length(symbol))
        guard count > 0, let data = zbar_symbol_get_data(symbol) else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    private static func bounds(of symbol: OpaquePointer) -> (x: Int, y: Int, width: Int, height: Int) {
        let corners = (0..<zbar_symbol_get_loc_size(symbol)).map {
            (x: Int(zbar_symbol_get_loc_x(symbol, $0)), y: Int(zbar_symbol_get_loc_y(symbol, $0)))
        }
        guard let minX = corners.map(\.x).min(), let maxX = corners.map(\.x).max(),
              let minY = corners.map(\.y).min(), let maxY = corners.map(\.y).max()
        else { return (0, 0, 0, 0) }
        return (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    private static func fourCC(_ code: String) -> UInt {
        code.utf8.enumerated().reduce(0) { $0 | UInt($1.element) << (8 * $1.offset) }
    }
}
