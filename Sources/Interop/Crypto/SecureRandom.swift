internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (seeded by the kernel).
package enum SecureRandom {
    /// `count` random bytes.
    ///
    /// A failing random generator leaves nothing safe to do (returning predictable "random" keys would
    /// be worse than stopping), so this traps instead of throwing, as swift-crypto does.
    package static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int32.max, "SecureRandom.bytes: count \(count) out of range")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                precondition(RAND_bytes(buffer.baseAddress, Int32(count)) == 1, "OpenSSL's random generator failed")
            }
            initialized = count
        }
    }
}
