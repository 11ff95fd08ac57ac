/// The least significant bits of an image's samples, addressed by sample index: where hidden bits live.
///
/// Samples are fixed-size little-endian words in one byte buffer (as DICOM stores them natively). The
/// bit that carries the payload is the least significant bit of the *stored value*, which in a DICOM word
/// sits at bit HighBit − BitsStored + 1, not necessarily bit 0. Flipping exactly that bit changes the
/// stored value by ±1, can never leave the BitsStored range, and leaves every other bit of the word
/// (overlays, padding) as it was.
struct LSBPlane: Equatable {
    private(set) var bytes: [UInt8]
    /// Number of samples, i.e. of bits the plane holds.
    let count: Int
    private let wordSize: Int
    private let byteOffset: Int
    private let mask: UInt8

    /// `bytes` holds `wordSize`-byte little-endian words whose stored value's LSB is bit `lsbPosition`.
    init(words bytes: [UInt8], wordSize: Int, lsbPosition: Int) {
        precondition(wordSize > 0 && (0..<8 * wordSize).contains(lsbPosition), "bad sample layout")
        self.bytes = bytes
        self.wordSize = wordSize
        count = bytes.count / wordSize
        byteOffset = lsbPosition / 8
        mask = 1 << UInt8(lsbPosition % 8)
    }

    /// The bit (0 or 1) in sample `index`.
    subscript(index: Int) -> UInt8 {
        bytes[index * wordSize + byteOffset] & mask == 0 ? 0 : 1
    }

    /// Puts `bit` in sample `index` by the paper's four-case rule: the sample changes only when its
    /// LSB differs from the bit. Returns whether it changed.
    @discardableResult
    mutating func embed(_ bit: UInt8, at index: Int) -> Bool {
        guard self[index] != bit else { return false }
        bytes[index * wordSize + byteOffset] ^= mask
        return true
    }
}
