/// Why a QR code could not be made, drawn or read.
package enum QRError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The segments need more bits than the largest allowed version holds at this error correction.
    case payloadTooLarge(bitsNeeded: Int, capacityBits: Int, maximumVersion: Int, errorCorrection: QRCode.ErrorCorrection)
    /// An alphanumeric segment holds a character outside the QR alphanumeric set (0–9, A–Z, space, $%*+-./:).
    case notAlphanumeric(Character)
    /// The code does not fit the block at the minimum module size with its quiet zone.
    case blockTooSmall(side: Int, sideNeeded: Int)
    /// The image handed to the reader is inconsistent (size does not match width × height, ...).
    case invalidImage(String)
    /// libqrencode or zbar failed for a reason other than the above (out of memory, ...).
    case libraryFailure(String)

    package var description: String {
        switch self {
        case let .payloadTooLarge(needed, capacity, version, level):
            "QR payload needs \(needed) bits; version \(version) at error correction \(level) holds at most \(capacity)"
        case let .notAlphanumeric(character):
            "\"\(character)\" cannot be encoded in a QR alphanumeric segment"
        case let .blockTooSmall(side, needed):
            "the QR code needs a block of \(needed)×\(needed) pixels, the block is \(side)×\(side)"
        case let .invalidImage(reason):
            "invalid image for QR reading: \(reason)"
        case let .libraryFailure(reason):
            reason
        }
    }
}
