#if canImport(Glibc)
import Glibc
#endif
import VeilCrypto
import VeilFileSystem

extension FileSystem {
    /// SHA-256 (hex) of the file at `path`, read in chunks; nil when there is no such file.
    static func sha256(of path: String) throws(BatchError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .last(path, "open")
        }
        defer { close(descriptor) }
        let hasher = SHA256.Hasher()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return hasher.finalize().hex }
            if count < 0 {
                if errno == EINTR { continue }
                throw .last(path, "read")
            }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

}

extension [UInt8] {
    /// Lower-case hexadecimal, as every hash in the manifest is written.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
