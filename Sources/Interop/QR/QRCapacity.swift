/// QR symbol capacities (ISO/IEC 18004:2015, Table 7) and segment sizes (§7.4), so that a payload
/// that does not fit is reported with numbers rather than libqrencode's bare ERANGE.
enum QRCapacity {
    /// Data codewords (bytes) per version 1...40, for error correction L, M, Q, H.
    private static let dataCodewords: [QRCode.ErrorCorrection: [Int]] = [
        .low: [19, 34, 55, 80, 108, 136, 156, 194, 232, 274, 324, 370, 428, 461, 523, 589, 647, 721, 795, 861,
               932, 1006, 1094, 1174, 1276, 1370, 1468, 1531, 1631, 1735, 1843, 1955, 2071, 2191, 2306, 2434, 2566, 2702, 2812, 2956],
        .medium: [16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
                  714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334],
        .quartile: [13, 22, 34, 48, 62, 76, 88, 110, 132, 154, 180, 206, 244, 261, 295, 325, 367, 397, 445, 485,
                    512, 568, 614, 664, 718, 754, 808, 871, 911, 985, 1033, 1115, 1171, 1231, 1286, 1354, 1426, 1502, 1582, 1666],
        .high: [9, 16, 26, 36, 46, 60, 66, 86, 100, 122, 140, 158, 180, 197, 223, 253, 283, 313, 341, 385,
                406, 442, 464, 514, 538, 596, 628, 661, 701, 745, 793, 845, 901, 961, 986, 1054, 1096, 1142, 1222, 1276],
    ]

    /// Data bits a symbol of `version` holds at `level`.
    static func capacityBits(version: Int, level: QRCode.ErrorCorrection) -> Int {
        dataCodewords[level]![version - 1] * 8
    }

    /// Bits `segments` take in a symbol of `version`: per segment a 4-bit mode indicator, a
    /// character count whose width depends on the version, and the data.
    static func bitsNeeded(_ segments: [QRSegment], version: Int) -> Int {
        let band = version <= 9 ? 0 : version <= 26 ? 1 : 2
        return segments.reduce(0) { total, segment in
            switch segment {
            case let .bytes(bytes):
                total + 4 + [8, 16, 16][band] + 8 * bytes.count
            case let .alphanumeric(text):
                total + 4 + [9, 11, 13][band] + 11 * (text.utf8.count / 2) + 6 * (text.utf8.count % 2)
            }
        }
    }

    /// The smallest version up to `maximumVersion` that holds `segments`, or nil.
    static func smallestVersion(for segments: [QRSegment], level: QRCode.ErrorCorrection, maximumVersion: Int) -> Int? {
        (1...maximumVersion).first { bitsNeeded(segments, version: $0) <= capacityBits(version: $0, level: level) }
    }
}
