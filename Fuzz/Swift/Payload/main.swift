// libFuzzer target: an opened payload container (first byte: the number of side-information blocks).
@testable import VeilCore
import CFuzzDriver
import Glibc

/// One input. Exported under libFuzzer's name as well: -sanitize=fuzzer links libFuzzer's own main, which
/// may be the one that runs; the main below hands libFuzzer the same function, so either way is the same.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let blocks = bytes.first else { return 0 }
    _ = try? Payload(decoding: Array(bytes.dropFirst()), sideBlockCount: Int(blocks))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in data.map { fuzz($0, count) } ?? 0 })
