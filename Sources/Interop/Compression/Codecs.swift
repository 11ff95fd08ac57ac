internal import CCompression

/// Why a compression call failed. No C error code leaves this module.
package enum CompressionError: Error, Equatable, CustomStringConvertible {
    /// The compressed bytes are damaged or not in the codec's format.
    case corruptInput(codec: String)
    /// The bytes decompress to a different length than the caller expected.
    case sizeMismatch(codec: String, expected: Int)
    /// The library failed for a reason unrelated to the input (out of memory, bad level).
    case libraryFailure(codec: String)

    package var description: String {
        switch self {
        case .corruptInput(let codec): "\(codec): compressed data is corrupt"
        case .sizeMismatch(let codec, let expected): "\(codec): data does not decompress to the expected \(expected) bytes"
        case .libraryFailure(let codec): "\(codec): the compression library failed"
        }
    }
}

/// The shape shared by the shim's one-shot functions.
private typealias Call = (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?) -> Int32

/// Runs one shim call into a buffer of `capacity` bytes and returns what it wrote.
private func run(_ codec: String, _ input: [UInt8], capacity: Int, decompressing: Bool, _ call: Call) throws(CompressionError) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: max(capacity, 1))
    var written = 0
    let status = input.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            call(source.baseAddress, source.count, target.baseAddress, capacity, &written)
        }
    }
    switch Int(status) {
    case CCOMP_OK: break
    case CCOMP_ERR_OUTPUT_TOO_SMALL where decompressing: throw .sizeMismatch(codec: codec, expected: capacity)
    case CCOMP_ERR_CORRUPT: throw .corruptInput(codec: codec)
    default: throw .libraryFailure(codec: codec)
    }
    if decompressing && written != capacity { throw .sizeMismatch(codec: codec, expected: capacity) }
    output.removeSubrange(written...)
    return output
}

/// zlib (RFC 1950) at a given level, 1…9.
package struct ZlibCodec: Sendable {
    package var level: Int32

    package init(level: Int32 = 9) { self.level = level }

    package func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try run("zlib", bytes, capacity: ccomp_zlib_bound(bytes.count), decompressing: false) {
            ccomp_zlib_compress($0, $1, $2, $3, level, $4)
        }
    }

    package func decompress(_ bytes: [UInt8], decompressedSize: Int) throws -> [UInt8] {
        try run("zlib", bytes, capacity: decompressedSize, decompressing: true, ccomp_zlib_decompress)
    }
}

/// LZMA2 in an .xz container without check, preset 0…9.
package struct LZMACodec: Sendable {
    package var preset: Int32

    package init(preset: Int32 = 6) { self.preset = preset }

    package func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try run("lzma", bytes, capacity: ccomp_lzma_bound(bytes.count), decompressing: false) {
            ccomp_lzma_compress($0, $1, $2, $3, preset, $4)
        }
    }

    package func decompress(_ bytes: [UInt8], decompressedSize: Int) throws -> [UInt8] {
        try run("lzma", bytes, capacity: decompressedSize, decompressing: true, ccomp_lzma_decompress)
    }
}

/// Zstandard at a given level, 1…22; the recommended codec for key regions.
///
/// Measured by `engine-bench` on key regions packed as MED residuals in byte planes (bytes / compress ms):
///
///     sample (key region)        zlib 9         lzma 6          zstd 9         zstd 15        zstd 19
///     eCT 16-bit  160² (51 KB)   5690 / 6.1     5220 / 5.3      5550 / 0.5     5220 / 1.9     5158 / 6.8
///     MR 12-bit   320² (205 KB)  69242 / 2.6    68524 / 14.8    68502 / 0.9    68298 / 3.7    68303 / 7.1
///     CR 10-bit   552² (609 KB)  164971 / 22    148812 / 125    155224 / 11    155187 / 25    144882 / 51
///
/// Raw little-endian words compress 10–45 % worse with every codec. Level 15 is within 1–7 % of the
/// best size at a quarter of level 19's time, which keeps a 512² protect within its 10 ms budget;
/// decompression is ≤ 0.3 ms for every level.
package struct ZstdCodec: Sendable {
    package var level: Int32

    package init(level: Int32 = 15) { self.level = level }

    package func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try run("zstd", bytes, capacity: ccomp_zstd_bound(bytes.count), decompressing: false) {
            ccomp_zstd_compress($0, $1, $2, $3, level, $4)
        }
    }

    package func decompress(_ bytes: [UInt8], decompressedSize: Int) throws -> [UInt8] {
        try run("zstd", bytes, capacity: decompressedSize, decompressing: true, ccomp_zstd_decompress)
    }
}
