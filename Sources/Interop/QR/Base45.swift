/// Base45 (RFC 9285): binary data as text in the QR alphanumeric set, so that it travels in an
/// alphanumeric segment (11 bits per 2 characters) and reaches any scanner as plain text.
package enum Base45 {
    /// The 45 characters, in value order; exactly the QR alphanumeric set.
    static let alphabet: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    private static let values: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    /// Why a string is not Base45.
    package enum DecodingError: Error, Equatable, Sendable {
        /// A character outside the alphabet, at this offset.
        case invalidCharacter(Character, offset: Int)
        /// A length that leaves one dangling character (length mod 3 == 1).
        case invalidLength(Int)
        /// A group encoding a value too large for its bytes, at this character offset.
        case valueOutOfRange(offset: Int)
    }

    /// Each 2 bytes become 3 characters (little-endian base 45 digits), a final single byte 2.
    package static func encode(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count / 2 * 3 + 2)
        for start in stride(from: 0, to: bytes.count, by: 2) {
            var value = start + 1 < bytes.count ? Int(bytes[start]) << 8 | Int(bytes[start + 1]) : Int(bytes[start])
            for _ in 0..<(start + 1 < bytes.count ? 3 : 2) {
                text.append(alphabet[value % 45])
                value /= 45
            }
        }
        return text
    }

    package static func decode(_ text: String) throws -> [UInt8] {
        let characters = Array(text)
        guard characters.count % 3 != 1 else { throw DecodingError.invalidLength(characters.count) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 3 * 2 + 1)
        for start in stride(from: 0, to: characters.count, by: 3) {
            let group = characters[start..<min(start + 3, characters.count)]
            var value = 0
            for (index, character) in group.enumerated().reversed() {
                guard let digit = values[character] else { throw DecodingError.invalidCharacter(character, offset: start + index) }
                value = value * 45 + digit
            }
            if group.count == 3 {
                guard value <= 0xFFFF else { throw DecodingError.valueOutOfRange(offset: start) }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            } else {
                guard value <= 0xFF else { throw DecodingError.valueOutOfRange(offset: start) }
                bytes.append(UInt8(value))
            }
        }
        return bytes
    }
}
