// libFuzzer target: what a QR reader returns, parsed as a dcmveil code, and the RSA block's parameters.
@testable import VeilCore
@testable import VeilPipeline
import CFuzzDriver
import Glibc

/// One input. Exported under libFuzzer's name as well: -sanitize=fuzzer links libFuzzer's own main, which
/// may be the one that runs; the main below hands libFuzzer the same function, so either way is the same.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if let content = try? QRContent(decoding: bytes) {
        _ = try? QRContent(decoding: content.bytes)  // what decodes must encode and decode again
    }
    _ = try? EmbeddingParameters(decoding: bytes)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in data.map { fuzz($0, count) } ?? 0 })
