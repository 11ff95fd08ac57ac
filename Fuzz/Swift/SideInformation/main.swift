// libFuzzer target: side information read from the LSBs of a 64×64 frame whose samples come from the input
// (first byte: passes and key-region position), as restore reads it from an unscrambled frame.
@testable import VeilCore
import CFuzzDriver
import Glibc

/// One input. Exported under libFuzzer's name as well: -sanitize=fuzzer links libFuzzer's own main, which
/// may be the one that runs; the main below hands libFuzzer the same function, so either way is the same.
@_cdecl("LLVMFuzzerTestOneInput")
package func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let control = bytes.first else { return 0 }
    let passes = Int(control % 8) + 1
    let offset = Int(control / 8 % 4) * 8
    let layout = BlockLayout(width: 64, height: 64, keyRegion: Region(x: 16 + offset, y: 16, width: 16, height: 16))
    var samples = [Int32](repeating: 0, count: 64 * 64)
    for index in 0..<min(samples.count, bytes.count - 1) { samples[index] = Int32(bytes[index + 1]) }
    _ = try? SideInformation.read(from: samples, layout: layout, passes: passes)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in data.map { fuzz($0, count) } ?? 0 })
