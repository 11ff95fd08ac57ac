/// AES-256-GCM under the per-instance content key, implemented by the pipeline with OpenSSL.
/// The engine never sees the key; it only asks for these operations.
package protocol ContentCrypto: Sendable {
    /// Returns nonce ‖ ciphertext ‖ tag.
    func seal(_ plaintext: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8]
    /// Throws on any tampering with `sealed` or `associatedData`.
    func open(_ sealed: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8]
    /// Deterministic bytes derived from the content key (scramble counts and permutations).
    func keystream(count: Int, purpose: String) -> [UInt8]
    func sha256(_ bytes: [UInt8]) -> [UInt8]
}

/// A lossless byte compressor, identified in the parameters by `identifier`.
package protocol LosslessCodec: Sendable {
    var identifier: UInt8 { get }
    func compress(_ bytes: [UInt8]) throws -> [UInt8]
    func decompress(_ bytes: [UInt8], decompressedSize: Int) throws -> [UInt8]
}

/// How blocks outside the key region are scrambled.
package enum ScrambleKind: UInt8, Sendable, Hashable, CaseIterable {
    /// Arnold cat map (x′, y′) = (x + y, x + 2y) mod 8, iterated 1…5 times per block (the paper's choice).
    case arnold = 1
    /// A keyed Fisher–Yates permutation per block: 64! arrangements instead of 6.
    case permutation = 2
}
