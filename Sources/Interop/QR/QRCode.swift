internal import CQR
import Glibc

/// One segment of a QR payload: its mode decides how compactly it is stored.
package enum QRSegment: Equatable, Sendable {
    /// Arbitrary bytes, 8 bits each (human-readable UTF-8 text, binary data).
    case bytes([UInt8])
    /// Characters of the QR alphanumeric set (0–9, A–Z, space, $%*+-./:), 5.5 bits each: Base45
    /// text stores binary data in this mode and survives scanners that mangle non-text bytes.
    case alphanumeric(String)
}

/// A QR code symbol: a square matrix of dark and light modules, made by libqrencode.
package struct QRCode: Sendable {
    /// Error correction level: the share of codewords that may be damaged and still be recovered.
    package enum ErrorCorrection: String, CaseIterable, Sendable, CustomStringConvertible {
        /// About 7 %.
        case low = "L"
        /// About 15 %.
        case medium = "M"
        /// About 25 %.
        case quartile = "Q"
        /// About 30 %.
        case high = "H"

        package var description: String { rawValue }
    }

    /// Version 1...40; the symbol has 17 + 4·version modules per side.
    package let version: Int
    package let errorCorrection: ErrorCorrection
    /// Modules per side (without quiet zone).
    package let size: Int
    private let modules: [Bool]

    /// Whether the module in column `x`, row `y` (0-based, from the top left) is dark.
    package func isDark(x: Int, y: Int) -> Bool {
        precondition((0..<size).contains(x) && (0..<size).contains(y), "module (\(x), \(y)) outside a \(size)×\(size) QR code")
        return modules[y * size + x]
    }

    /// The version `encode` would choose for `segments` (the smallest up to `maximumVersion` that
    /// holds them, by the same capacity arithmetic as libqrencode), or nil when `encode` would throw.
    /// Lets a caller test whether content fits without building the symbol.
    package static func smallestVersion(
        for segments: [QRSegment], errorCorrection: ErrorCorrection = .low, maximumVersion: Int = 40
    ) -> Int? {
        guard (1...40).contains(maximumVersion) else { return nil }
        let segments = segments.filter { !$0.isEmpty }
        for case let .alphanumeric(text) in segments where text.contains(where: { !Base45.alphabet.contains($0) }) { return nil }
        return QRCapacity.smallestVersion(for: segments, level: errorCorrection, maximumVersion: maximumVersion)
    }

    /// Encodes `segments`, in order, in the smallest version up to `maximumVersion` that holds them.
    ///
    /// Throws `QRError.payloadTooLarge` with the bits needed and the capacity of `maximumVersion`
    /// when they do not fit, and `QRError.notAlphanumeric` for a bad alphanumeric segment.
    package static func encode(
        _ segments: [QRSegment], errorCorrection: ErrorCorrection = .low, maximumVersion: Int = 40
    ) throws -> QRCode {
        precondition((1...40).contains(maximumVersion), "QR versions are 1...40, not \(maximumVersion)")
        let segments = segments.filter { !$0.isEmpty }  // carry nothing, and libqrencode rejects them
        for case let .alphanumeric(text) in segments {
            if let bad = text.first(where: { !Base45.alphabet.contains($0) }) { throw QRError.notAlphanumeric(bad) }
        }
        guard QRCapacity.smallestVersion(for: segments, level: errorCorrection, maximumVersion: maximumVersion) != nil else {
            throw QRError.payloadTooLarge(
                bitsNeeded: QRCapacity.bitsNeeded(segments, version: maximumVersion),
                capacityBits: QRCapacity.capacityBits(version: maximumVersion, level: errorCorrection),
                maximumVersion: maximumVersion, errorCorrection: errorCorrection)
        }

        // Version 0 lets libqrencode pick the smallest version, which our own estimate just confirmed exists.
        guard let input = QRinput_new2(0, errorCorrection.libqrencodeLevel) else {
            throw QRError.libraryFailure("libqrencode cannot allocate its input: \(errnoDescription())")
        }
        defer { QRinput_free(input) }
        for segment in segments {
            let (mode, data): (QRencodeMode, [UInt8]) = switch segment {
            case let .bytes(bytes): (QR_MODE_8, bytes)
            case let .alphanumeric(text): (QR_MODE_AN, Array(text.utf8))
            }
            guard QRinput_append(input, mode, Int32(data.count), data) == 0 else {
                throw QRError.libraryFailure("libqrencode rejected a segment of \(data.count) bytes: \(errnoDescription())")
            }
        }
        guard let code = QRcode_encodeInput(input) else {
            throw QRError.libraryFailure("libqrencode failed to encode: \(errnoDescription())")
        }
        defer { QRcode_free(code) }

        let size = Int(code.pointee.width)
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: size * size).map { $0 & 1 == 1 }
        return QRCode(version: Int(code.pointee.version), errorCorrection: errorCorrection, size: size, modules: modules)
    }
}

private extension QRSegment {
    var isEmpty: Bool {
        switch self {
        case let .bytes(bytes): bytes.isEmpty
        case let .alphanumeric(text): text.isEmpty
        }
    }
}

extension QRCode.ErrorCorrection {
    var libqrencodeLevel: QRecLevel {
        switch self {
        case .low: QR_ECLEVEL_L
        case .medium: QR_ECLEVEL_M
        case .quartile: QR_ECLEVEL_Q
        case .high: QR_ECLEVEL_H
        }
    }
}

private func errnoDescription() -> String {
    String(cString: strerror(errno))
}
