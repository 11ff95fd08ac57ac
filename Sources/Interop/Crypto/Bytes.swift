internal import COpenSSL
import Foundation

/// Calls `body` with a pointer to `bytes` that is never nil, even for an empty array: several OpenSSL
/// functions reject a NULL buffer although its length is zero.
func withNonNullPointer<R>(to bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
    if bytes.isEmpty {
        var empty: UInt8 = 0
        return try withUnsafePointer(to: &empty) { try body($0, 0) }
    }
    return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!, $0.count) }
}

/// Serialises an OpenSSL object with one of its `i2d_*` functions (called once to size, once to write).
func encodeDER(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> [UInt8] {
    let length = encode(nil)
    guard length > 0 else { throw CryptoError(.internalFailure, "DER encoding failed") }
    return [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
        var cursor = buffer.baseAddress
        initialized = Int(encode(&cursor))
    }
}

/// Formats DER as PEM (RFC 7468): base64 in 64-character lines between BEGIN and END labels.
func pemEncoded(_ der: [UInt8], label: String) -> String {
    let base64 = Data(der).base64EncodedString()
    var lines = ["-----BEGIN \(label)-----"]
    var start = base64.startIndex
    while start < base64.endIndex {
        let end = base64.index(start, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
        lines.append(String(base64[start..<end]))
        start = end
    }
    lines.append("-----END \(label)-----")
    return lines.joined(separator: "\n") + "\n"
}

/// A memory BIO: the way OpenSSL's PEM and CMS functions read from and write to byte buffers.
final class MemoryBIO {
    let pointer: OpaquePointer

    /// An empty BIO to write into.
    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError(.internalFailure, "cannot allocate a memory BIO") }
        pointer = bio
    }

    /// A BIO reading a copy of `bytes`.
    convenience init(_ bytes: [UInt8]) throws {
        guard bytes.count <= Int32.max else { throw CryptoError(.invalidArgument, "input of \(bytes.count) bytes is too large") }
        try self.init()
        let written = withNonNullPointer(to: bytes) { base, count in count == 0 ? 0 : BIO_write(pointer, base, Int32(count)) }
        guard written == Int32(bytes.count) else { throw CryptoError(.internalFailure, "cannot fill a memory BIO") }
    }

    deinit { BIO_free(pointer) }

    /// Everything written to the BIO so far.
    func contents() -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(pointer))
        return [UInt8](unsafeUninitializedCapacity: pending) { buffer, initialized in
            initialized = pending == 0 ? 0 : max(0, Int(BIO_read(pointer, buffer.baseAddress, Int32(pending))))
        }
    }
}
