/// Replaces UIDs consistently: the same original UID always maps to the same new UID under the
/// same site secret, across instances, series and runs, so a protected series stays coherent and
/// re-protecting a study yields the same UIDs. The mapping is one-way (HMAC-SHA-256); the original
/// UIDs travel only inside the Encrypted Attributes Sequence.
struct UIDMapper: Sendable {
    /// HMAC-SHA-256 under the site secret.
    let keyedHash: @Sendable ([UInt8]) -> [UInt8]

    /// `2.25.` followed by the first 128 bits of the keyed hash as a decimal integer: the UUID-derived
    /// form of PS3.5 B.2, at most 44 characters.
    func map(_ uid: String) -> String {
        let trimmed = uid.trimmingTrailing { $0 == "\0" || $0 == " " }
        guard !trimmed.isEmpty else { return uid }
        let digest = keyedHash(Array(trimmed.utf8))
        var value: UInt128 = 0
        for byte in digest.prefix(16) { value = value << 8 | UInt128(byte) }
        return "2.25." + String(value)
    }
}

extension StringProtocol {
    func trimmingTrailing(where predicate: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return String(self[startIndex..<end])
    }
}
