import Foundation
import Testing
import VeilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, items 4 and 5, through the real command: hostile files inside a batch of good ones, and the
/// messages that used to mislead.
@Suite(.serialized) struct HostileBatchTests {
    typealias Make = HandMadeDICOM

    /// File name → (hostile bytes, what the manifest reason must name).
    static let hostile: [(name: String, bytes: [UInt8], names: String)] = [
        ("frames-negative.dcm", Make.image(replacing: [Make.element(0x0028, 0x0008, "IS", "-1")]), "invalid NumberOfFrames (0028,0008)"),
        ("frames-million.dcm", Make.image(replacing: [Make.element(0x0028, 0x0008, "IS", "1000000")]), "invalid NumberOfFrames (0028,0008)"),
        ("center-nan.dcm", Make.image(replacing: [Make.element(0x0028, 0x1050, "DS", "NaN")]), "invalid WindowCenter (0028,1050)"),
        ("width-huge.dcm", Make.image(replacing: [Make.element(0x0028, 0x1051, "DS", "1e300")]), "invalid WindowWidth (0028,1051)"),
        ("slope-nan.dcm", Make.image(replacing: [Make.element(0x0028, 0x1053, "DS", "NaN")]), "invalid RescaleSlope (0028,1053)"),
        ("intercept-inf.dcm", Make.image(replacing: [Make.element(0x0028, 0x1052, "DS", "-inf")]), "invalid RescaleIntercept (0028,1052)"),
        ("rows-zero.dcm", Make.image(replacing: [Make.us(0x0028, 0x0010, 0)]), "invalid Rows (0028,0010)"),
        ("bits-stored.dcm", Make.image(replacing: [Make.us(0x0028, 0x0101, 40)]), "invalid BitsStored (0028,0101)"),
        ("nested-6000.dcm", Make.nested(depth: 6000), "sequences nested more than 64 levels deep"),
    ]

    @Test func hostileFilesFailAndEveryGoodFileIsProtected() throws {
        let workspace = try Workspace(slices: 3)
        try FileManager.default.createDirectory(atPath: workspace.root + "/in/hostile", withIntermediateDirectories: true)
        for file in Self.hostile {
            try Data(file.bytes).write(to: URL(fileURLWithPath: workspace.root + "/in/hostile/" + file.name))
        }
        let run = try workspace.protect("out")
        #expect(run.status == 2, "partial failure, documented exit code 2: \(run.stderr)")
        let lines = try workspace.read("out/manifest.jsonl").split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains(#""status":"protected""#) }.count == 3, "every good slice")
        for file in Self.hostile {
            let record = lines.first { $0.contains(#""input":"in/hostile/\#(file.name)""#) }
            #expect(record?.contains(#""status":"failed""#) == true, "\(file.name): \(record ?? "no record")")
            #expect(record?.contains(file.names) == true, "\(file.name): \(record ?? "no record")")
        }
        #expect(run.stderr.contains("3 protected, 0 header-only, 2 skipped, \(Self.hostile.count + 1) failed"), "\(run.stderr)")
    }

    @Test func inspectRefusesAFIFOAtOnceAndNamesTheFileOnce() throws {
        try withTemporaryDirectory { directory in
            #expect(mkfifo(directory + "/pipe.dcm", 0o600) == 0)
            let fifo = try Command.run("inspect", "pipe.dcm", in: directory)
            #expect(fifo.status == 1)
            #expect(fifo.stderr == "dcmveil inspect: pipe.dcm: a FIFO, not a regular file; only regular files are read\n")
            let device = try Command.run("inspect", "/dev/zero", in: directory)
            #expect(device.stderr == "dcmveil inspect: /dev/zero: a character device, not a regular file; only regular files are read\n")
            try Data(Make.image(replacing: [Make.element(0x0028, 0x0008, "IS", "1000000")])).write(to: URL(fileURLWithPath: directory + "/many.dcm"))
            let many = try Command.run("inspect", "many.dcm", in: directory)
            #expect(many.stderr == """
                dcmveil inspect: many.dcm: invalid NumberOfFrames (0028,0008) "1000000": the 8192 bytes of Pixel Data hold 1 frame of 8192 bytes

                """)
        }
    }

    @Test("--jobs below 1 is refused with the reason", arguments: ["-1", "0"])
    func negativeJobs(jobs: String) throws {
        try withTemporaryDirectory { directory in
            let result = try Command.run("protect", "in", "--out", "out", "--cert", "cert.pem", "--jobs", jobs, in: directory)
            #expect(result.status == 64)
            #expect(result.stderr.contains("--jobs must be at least 1."), "\(result.stderr)")
            let verify = try Command.run("verify", "out", "--jobs", jobs, in: directory)
            #expect(verify.stderr.contains("--jobs must be at least 1."), "\(verify.stderr)")
        }
    }

    @Test func certificatesInDERAreAcceptedAndBadOnesNamed() throws {
        let workspace = try Workspace(slices: 1)
        let pem = try workspace.read("keys/certificate.pem")
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: base64))
        try der.write(to: URL(fileURLWithPath: workspace.root + "/keys/certificate.der"))
        let good = try Command.run(["protect", "in", "--out", "der", "--cert", "keys/certificate.der"], in: workspace.root)
        #expect(good.status == 2, "only the workspace's truncated file fails: \(good.stderr)")
        #expect(good.stderr.contains("1 protected"))

        try der.prefix(der.count / 2).write(to: URL(fileURLWithPath: workspace.root + "/keys/cut.der"))
        let cut = try Command.run(["protect", "in", "--out", "cut", "--cert", "keys/cut.der"], in: workspace.root)
        #expect(cut.status == 64)
        #expect(cut.stderr.contains("keys/cut.der: a DER (binary) file that is not a valid X.509 certificate"), "\(cut.stderr)")
        #expect(!cut.stderr.contains("PEM"))

        let key = try Command.run(["protect", "in", "--out", "key", "--cert", "keys/private-key.pem"], in: workspace.root)
        #expect(key.stderr.contains("a PEM file without a certificate (it holds: "), "\(key.stderr)")
    }

    @Test func aProtectedFileCutBeforeItsPixelDataIsNotReidentified() throws {
        let workspace = try Workspace(slices: 1)
        #expect(try workspace.protect("out").status == 2)
        let output = try #require(try workspace.files(under: "out/SAMPLE-CT").first { $0.hasSuffix(".dcm") })
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: workspace.root + "/" + output)))
        let pixels = try #require((0..<(bytes.count - 4)).last { Array(bytes[$0..<($0 + 4)]) == [0xE0, 0x7F, 0x10, 0x00] })
        try FileManager.default.createDirectory(atPath: workspace.root + "/cut", withIntermediateDirectories: true)
        try Data(bytes.prefix(pixels)).write(to: URL(fileURLWithPath: workspace.root + "/cut/cut.dcm"))
        let restore = try Command.run(["restore", "cut", "--out", "restored", "--key", "keys/private-key.pem"], in: workspace.root)
        #expect(restore.status == 2)
        #expect(try workspace.read("restored/manifest.jsonl").contains(
            #""status":"failed","reason":"the protected image was altered: its pixels were protected, but it has no Pixel Data (cut before them?)""#))
    }
}
