// libFuzzer target: decrypted Encrypted Attributes Sequence content (a bare Explicit VR Little Endian
// dataset), decoded as restore decodes it, then encoded again.
import VeilDICOM
import CFuzzDriver
import Glibc

/// One input. Exported under libFuzzer's name as well: -sanitize=fuzzer links libFuzzer's own main, which
/// may be the one that runs; the main below hands libFuzzer the same function, so either way is the same.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if let dataSet = try? AttributeCodec.decode(Array(UnsafeBufferPointer(start: data, count: count))) {
        _ = try? AttributeCodec.encode(dataSet)
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in data.map { fuzz($0, count) } ?? 0 })
