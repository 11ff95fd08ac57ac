// swift-tools-version:6.1
// dcmveil — reversible protection of DICOM images.
//
// Layers, bottom to top (data flows one way; each layer sees only lower ones, and every import must
// be a dependency declared here — Tests/dcmveilTests/ArchitectureTests.swift checks both):
//   FileSystem/ reading files with bounds, writing them atomically (VeilFileSystem); below all the rest.
//   Interop/    C and C++ shims (CDCMTK, CDCMTKNet, COpenSSL, CQR, CCompression, CPNG, CJPEG2000, CTesseract,
//               CMemory) and the Swift types that own their pointers (VeilCrypto, VeilQR, VeilCompression,
//               VeilImageIO, VeilOCR).
//               C modules are imported `internal`: no C type leaves this layer.
//   Core/       the pure Swift engine: key region, texture map, PEE, scrambling, payload, metrics.
//   DICOM/      datasets, pixel frames and files, over CDCMTK.
//   Pipeline/   protect / restore / inspect one instance; de-identification; QR payload; binding.
//   Sample/     the synthetic CT tree; Stego/ the second paper's mode (over DICOM and Interop).
//   Batch/      walking trees, manifest, concurrency, locking.   Evaluate/ the paper's experiments.
//   Net/        sending protected outputs to a DICOM archive (C-STORE, STOW-RS) and fetching them back.
//   CLI/        the `dcmveil` command.
import PackageDescription

let dcmtkLibraries = [
    "dcmjpls", "dcmtkcharls", "dcmjpeg", "ijg8", "ijg12", "ijg16",
    "dcmimage", "dcmimgle", "dcmdata", "oflog", "ofstd", "z",
].map { LinkerSetting.linkedLibrary($0) }

let package = Package(
    name: "dcmveil",
    products: [
        .executable(name: "dcmveil", targets: ["dcmveil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: Files (reading with bounds, atomic writing), below everything that touches the disk
        .target(name: "VeilFileSystem", path: "Sources/FileSystem"),

        // MARK: C interop layer
        .target(
            name: "CDCMTK",
            path: "Sources/Interop/CDCMTK",
            linkerSettings: dcmtkLibraries
        ),
        .target(
            name: "CDCMTKNet",
            path: "Sources/Interop/CDCMTKNet",
            linkerSettings: ["dcmtls", "dcmnet", "dcmdata", "oflog", "ofstd", "ssl", "crypto"].map { .linkedLibrary($0) }
        ),
        .target(
            name: "COpenSSL",
            path: "Sources/Interop/COpenSSL",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .target(
            name: "CQR",
            path: "Sources/Interop/CQR",
            linkerSettings: [.linkedLibrary("qrencode"), .linkedLibrary("zbar")]
        ),
        .target(
            name: "CCompression",
            path: "Sources/Interop/CCompression",
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("lzma"), .linkedLibrary("zstd")]
        ),
        .target(
            name: "CPNG",
            path: "Sources/Interop/CPNG",
            linkerSettings: [.linkedLibrary("png")]
        ),
        .target(
            name: "CJPEG2000",
            path: "Sources/Interop/CJPEG2000",
            linkerSettings: [.linkedLibrary("openjp2")]
        ),
        .target(
            name: "CTesseract",
            path: "Sources/Interop/CTesseract",
            linkerSettings: [.linkedLibrary("tesseract"), .linkedLibrary("lept")]
        ),
        .target(name: "CMemory", path: "Sources/Interop/CMemory"),
        .target(name: "CCrashGuard", path: "Sources/Interop/CCrashGuard"),
        .target(name: "VeilCrypto", dependencies: ["COpenSSL", "VeilFileSystem"], path: "Sources/Interop/Crypto"),
        .target(name: "VeilQR", dependencies: ["CQR"], path: "Sources/Interop/QR"),
        .target(name: "VeilImageIO", dependencies: ["CPNG"], path: "Sources/Interop/ImageIO"),
        .target(name: "VeilCompression", dependencies: ["CCompression"], path: "Sources/Interop/Compression"),
        .target(name: "VeilOCR", dependencies: ["CTesseract"], path: "Sources/Interop/OCR"),

        // MARK: Pure Swift engine
        .target(name: "VeilCore", path: "Sources/Core"),

        // MARK: DICOM layer
        .target(name: "VeilDICOM", dependencies: ["CDCMTK", "CJPEG2000", "VeilFileSystem"], path: "Sources/DICOM"),
        .executableTarget(name: "DicomLeakCheck", dependencies: ["VeilDICOM"], path: "Sources/Tools/DicomLeakCheck"),

        // MARK: One instance, then many
        .target(
            name: "VeilPipeline",
            dependencies: ["VeilCore", "VeilCrypto", "VeilQR", "VeilCompression", "VeilOCR", "VeilDICOM", "VeilFileSystem"],
            path: "Sources/Pipeline"
        ),
        .target(name: "VeilBatch", dependencies: ["VeilPipeline", "VeilDICOM", "VeilCrypto", "VeilFileSystem", "CMemory", "CCrashGuard"], path: "Sources/Batch"),
        .target(name: "VeilNet", dependencies: ["CDCMTKNet", "VeilBatch", "VeilDICOM", "VeilCrypto", "VeilFileSystem"], path: "Sources/Net"),
        .target(name: "VeilSample", dependencies: ["VeilDICOM"], path: "Sources/Sample"),
        .target(
            name: "VeilStego",
            dependencies: ["VeilCrypto", "VeilCompression", "VeilImageIO", "VeilDICOM", "VeilCore", "VeilFileSystem"],
            path: "Sources/Stego"
        ),
        .target(
            name: "VeilEvaluate",
            dependencies: ["VeilPipeline", "VeilCore", "VeilDICOM", "VeilCrypto", "VeilImageIO"],
            path: "Sources/Evaluate"
        ),

        // MARK: Command line
        .executableTarget(
            name: "dcmveil",
            dependencies: [
                "VeilPipeline",
                "VeilDICOM",
                "VeilBatch",
                "VeilNet",
                "VeilSample",
                "VeilStego",
                "VeilEvaluate",
                "VeilCrypto",
                "VeilFileSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI"
        ),

        // MARK: Benchmarks
        .executableTarget(name: "engine-bench", dependencies: ["VeilCore", "VeilCompression", "VeilPipeline"], path: "Sources/Benchmarks/EngineBench"),
        .target(name: "CMallocCounter", path: "Sources/Benchmarks/CMallocCounter"),
        .executableTarget(name: "pipeline-bench", dependencies: ["CMallocCounter", "VeilPipeline", "VeilBatch", "VeilSample", "VeilCrypto"],
                          path: "Sources/Benchmarks/PipelineBench"),

        // MARK: Tests
        .target(name: "VeilTestSupport", path: "Tests/Support"),
        .testTarget(name: "VeilFileSystemTests", dependencies: ["VeilFileSystem"], path: "Tests/VeilFileSystemTests"),
        .testTarget(name: "VeilCoreTests", dependencies: ["VeilCore", "VeilCompression"], path: "Tests/VeilCoreTests"),
        .testTarget(name: "VeilInteropTests", dependencies: ["VeilTestSupport", "VeilCrypto", "VeilQR", "VeilCompression", "VeilImageIO"], path: "Tests/VeilInteropTests"),
        .testTarget(name: "VeilDICOMTests", dependencies: ["VeilTestSupport", "VeilDICOM", "DicomLeakCheck"], path: "Tests/VeilDICOMTests"),
        .testTarget(name: "VeilPipelineTests", dependencies: ["VeilTestSupport", "VeilPipeline", "VeilCore", "VeilCrypto", "VeilDICOM", "VeilQR", "VeilSample"], path: "Tests/VeilPipelineTests"),
        .testTarget(name: "VeilStegoTests", dependencies: ["VeilTestSupport", "VeilFileSystem", "VeilStego", "VeilCrypto", "VeilCompression", "VeilDICOM", "VeilImageIO"], path: "Tests/VeilStegoTests"),
        .testTarget(name: "VeilBatchTests", dependencies: ["VeilBatch", "VeilSample"], path: "Tests/VeilBatchTests"),
        .testTarget(name: "VeilEvaluateTests", dependencies: ["VeilEvaluate", "VeilCore", "VeilCrypto", "VeilSample"], path: "Tests/VeilEvaluateTests",
                    exclude: ["reference_metrics.py"]),
        .testTarget(name: "VeilNetTests", dependencies: ["VeilTestSupport", "VeilNet", "VeilBatch", "VeilCrypto", "dcmveil"], path: "Tests/VeilNetTests"),
        .testTarget(name: "dcmveilTests", dependencies: ["VeilTestSupport", "dcmveil", "VeilCrypto"], path: "Tests/dcmveilTests"),
    ],
    cxxLanguageStandard: .cxx17
)

// MARK: Fuzzing (scripts/fuzz): libFuzzer targets, only when DCMVEIL_FUZZ is set, built with
// `-sanitize=fuzzer` into their own scratch path. A plain `swift build` never sees them.
if Context.environment["DCMVEIL_FUZZ"] != nil {
    let fuzzTargets: [(name: String, directory: String, dependencies: [Target.Dependency])] = [
        ("fuzz-qr-content", "QRContent", ["VeilPipeline", "VeilCore"]),
        ("fuzz-side-information", "SideInformation", ["VeilCore"]),
        ("fuzz-payload", "Payload", ["VeilCore"]),
        ("fuzz-restoration-record", "RestorationRecord", ["VeilPipeline"]),
        ("fuzz-attribute-codec", "AttributeCodec", ["VeilDICOM"]),
        ("fuzz-dicom-file", "DicomFile", ["VeilDICOM", "VeilPipeline", "VeilCore"]),
    ]
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/Swift/CFuzzDriver"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: target.name, dependencies: target.dependencies + ["CFuzzDriver"], path: "Fuzz/Swift/\(target.directory)"))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
