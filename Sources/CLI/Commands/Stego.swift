import ArgumentParser
import Foundation

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
