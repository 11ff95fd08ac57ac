import ArgumentParser
import Foundation
import VeilBatch
import VeilNet

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send a protect output directory's protected files to a DICOM archive.",
        discussion: """
        --to dicom://AET@host:port[?calling=OURAET] sends with C-STORE (one association per series), \
        dicom+tls://… the same over DICOM TLS (with --tls-ca, and usually --tls-certificate and \
        --tls-key), --to http(s)://host:port/dicom-web with DICOMweb STOW-RS (one request per series). Only \
        outputs the manifest records as protected or header-only, and whose SHA-256 still matches it, \
        are sent. Each output's record gets "sent" and, on failure, "send_error"; a rerun sends only \
        what is missing. Exit codes: 0 all sent, 2 some not sent (see the manifest), 1 no manifest \
        or archive unusable, 64 bad URL, 75 another run holds DIR.
        """)

    @Argument(help: "A protect output directory (holding manifest.jsonl).")
    var directory: String

    @Option(help: "Archive URL: dicom://AET@host:port, dicom+tls://AET@host:port or http(s)://host:port/dicom-web.")
    var to: String

    @OptionGroup var sending: SendOptions

    @OptionGroup var tls: TLSOptions

    func run() async throws {
        try finish(with: await sendOutputs(of: directory, to: try parseArchive(to, tls: tls, command: "send"), sending, command: "send"))
    }
}
