import ArgumentParser
import Foundation

struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an RSA-2048 private key (mode 0600) and a self-signed X.509 certificate (PEM).")

    @Option(help: "Directory for private-key.pem and certificate.pem.")
    var out: String

    func run() async throws { throw notImplementedYet("keygen") }
}

struct Protect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Protect DICOM files or whole study trees for the holder of a certificate's key.")

    @Argument(help: "Files or directories to protect.")
    var inputs: [String]

    @Option(help: "Output directory (mirrors the inputs' relative paths).")
    var out: String

    @Option(help: "Recipient's X.509 certificate (PEM or DER).")
    var cert: String

    @Option(help: "Configuration file.")
    var config: String?

    @Option(help: "Files processed at once (default: number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() async throws { throw notImplementedYet("protect") }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore protected files exactly, with the recipient's private key.")

    @Argument(help: "Protected files or directories.")
    var inputs: [String]

    @Option(help: "Output directory (mirrors the inputs' relative paths).")
    var out: String

    @Option(help: "Private key (PEM or DER).")
    var key: String

    @Option(help: "Files processed at once (default: number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() async throws { throw notImplementedYet("restore") }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an output directory against its manifest; with --key, a full restore check.")

    @Argument(help: "Output directory holding manifest.jsonl.")
    var directory: String

    @Option(help: "Private key, for an in-memory restore of every protected file.")
    var key: String?

    func run() async throws { throw notImplementedYet("verify") }
}

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a protected file's QR says (no key needed) and, with --key, the rest.")

    @Argument(help: "A protected DICOM file.")
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Private key.")
    var key: String?

    func run() async throws { throw notImplementedYet("inspect") }
}

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce the paper's experiments: metrics, pictures, plots and an HTML report.")

    @Argument(help: "DICOM files or directories.")
    var inputs: [String]

    @Option(help: "Report directory.")
    var report: String

    func run() async throws { throw notImplementedYet("evaluate") }
}

struct Stego: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hide an encrypted DICOM file in a cover image's least significant bits, and get it back.",
        subcommands: [Hide.self, Reveal.self]
    )

    struct Hide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide a secret file in a cover image.")

        @Option(help: "Cover image (DICOM).") var cover: String
        @Option(help: "Secret DICOM file.") var secret: String
        @Option(help: "Output stego image.") var out: String
        @Option(help: "Recipient's certificate.") var cert: String

        func run() async throws { throw notImplementedYet("stego hide") }
    }

    struct Reveal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extract and decrypt the hidden file.")

        @Argument(help: "Stego image.") var stego: String
        @Option(help: "Output file.") var out: String
        @Option(help: "Private key.") var key: String

        func run() async throws { throw notImplementedYet("stego reveal") }
    }
}

struct Sample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic TCIA-style tree of realistic CT slices with fake patient data.")

    @Option(help: "Output directory.") var out: String
    @Option(help: "Patients.") var patients = 2
    @Option(help: "Studies per patient.") var studies = 1
    @Option(help: "Series per study.") var series = 2
    @Option(help: "Slices per series.") var slices = 8
    @Option(help: "Seed; the same seed gives identical files.") var seed: UInt64 = 1

    func validate() throws {
        for (name, value) in [("patients", patients), ("studies", studies), ("series", series), ("slices", slices)]
        where value < 1 {
            throw ValidationError("--\(name) must be at least 1.")
        }
    }

    func run() async throws { throw notImplementedYet("sample") }
}
