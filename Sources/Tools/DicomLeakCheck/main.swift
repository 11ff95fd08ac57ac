// Exercises every VeilDICOM path that allocates in DCMTK — reading, decoding every frame, the error
// paths, writing, re-reading, the attribute codec — on the given files, so that valgrind can show the
// shim frees what it allocates. Usage: DicomLeakCheck ROUNDS FILE...
import Glibc
import VeilDICOM

let arguments = CommandLine.arguments.dropFirst()
guard let rounds = arguments.first.flatMap(Int.init), arguments.count > 1 else {
    print("usage: DicomLeakCheck ROUNDS FILE...")
    exit(2)
}

func exercise(_ path: String) throws {
    let file = try DicomFile.read(path)
    var frames = [UInt8]()
    for index in 0..<file.frameCount {
        do { frames += try file.frame(index).bytes } catch .unsupportedTransferSyntax { return }
    }
    let written = try DicomWriter.encodeFile(dataSet: file.dataSet, pixelData: file.hasPixelData ? frames : nil)
    _ = try DicomFile(bytes: written, name: "\(path) (rewritten)").frame(0)
    _ = try AttributeCodec.decode(AttributeCodec.encode(file.dataSet))
    // Error paths: a cut file and a cut attribute stream.
    _ = try? DicomFile(bytes: Array(file.originalBytes().prefix(file.originalBytes().count / 2)), name: "cut")
    _ = try? AttributeCodec.decode(Array(AttributeCodec.encode(file.dataSet).dropLast(3)))
}

for _ in 0..<rounds {
    for path in arguments.dropFirst() {
        do { try exercise(path) } catch { print(error); exit(1) }
    }
}
print("exercised \(arguments.count - 1) files \(rounds) times")
