import ArgumentParser
import Foundation
import VeilBatch
import VeilCrypto
import VeilNet
import VeilPipeline

struct Protect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Protect DICOM files or whole study trees for the holder of a certificate's key.",
        discussion: """
        Walks the inputs (DICOM is recognised by content), writes a protected copy of every image \
        to --out, and records every input in --out/manifest.jsonl. Running again only processes \
        inputs that changed. With --send URL the protected outputs then go to an archive, as \
        `dcmveil send` sends them. Exit codes: 0 all done, 2 some inputs failed or were not sent (see the manifest), \
        64 bad command line, certificate or configuration, 75 another run holds --out (or the same \
        --shard runs elsewhere), 128+N stopped by signal N. With --shard I/N, run every shard with the \
        same arguments (and the same --site-secret) into the same --out, then `dcmveil manifest merge`.
        """)

    @Argument(help: "Files or directories to protect.")
    var inputs: [String]

    @Option(help: "Recipient's X.509 certificate (PEM or DER).")
    var cert: String

    @Option(help: "Configuration file (JSON; see config/dcmveil.json).")
    var config: String?

    @Option(help: "Site secret for consistent UID replacement across outputs (overrides the configuration's siteSecretFile; default: one kept in --out).")
    var siteSecret: String?

    @Option(help: "Output names: uids (study/series/instance.dcm by the new UIDs; folder names often carry patient names) or mirror (the inputs' relative paths).")
    var layout: OutputLayout = .uids

    @OptionGroup var batch: BatchOptions

    @Option(help: "After protecting, send the outputs to this archive (see `dcmveil send`).")
    var send: String?

    @OptionGroup var sending: SendOptions

    @OptionGroup var tls: TLSOptions

    func validate() throws {
        if send != nil && batch.shard != nil {
            throw ValidationError("--send cannot go with --shard: merge the shards' manifests, then `dcmveil send` the output.")
        }
    }

    func run() async throws {
        let certificate: Certificate
        var configuration: ProtectionConfiguration
        do {
            certificate = try Certificate(contentsOf: cert)
            configuration = try config.map(ProtectionConfiguration.load) ?? ProtectionConfiguration()
            if let siteSecret { configuration.deidentification.siteSecretFile = siteSecret }
        } catch let error as ProtectionError {
            printError("dcmveil protect: \(error)")
            throw DcmVeilExit.usage
        } catch {
            printError("dcmveil protect: \(cert): \(error)")
            throw DcmVeilExit.usage
        }
        try requireSharedSecret(configuration)
        let archive = try send.map { try parseArchive($0, tls: tls, command: "protect") }
        let described = ["layout": layout.rawValue, "cert": cert, "config": config ?? "(defaults)",
                         "site-secret": configuration.deidentification.siteSecretFile ?? "(kept in --out)"]
        let protected = await runBatch("protect", batch, inputs: inputs, described: described) { state in
            let secret: [UInt8]
            let configuration = configuration
            do {
                secret = try SiteSecret.load(configured: configuration.deidentification.siteSecretFile, state: state)
            } catch {
                throw UsageError(description: "site secret: \(error)")
            }
            return ProtectOperation(recipient: certificate, configuration: configuration, siteSecret: secret, layout: layout)
        }
        guard let archive, !batch.dryRun, [DcmVeilExit.success, DcmVeilExit.partialFailure].contains(protected) else {
            return try finish(with: protected)
        }
        let sent = await sendOutputs(of: batch.out, to: archive, sending, command: "protect")
        try finish(with: protected == DcmVeilExit.success ? sent : protected)
    }

    /// Shards must replace UIDs alike: with --shard, a secret of the output's own would be made
    /// by each shard at once, so an explicit one is required (exit 64).
    private func requireSharedSecret(_ configuration: ProtectionConfiguration) throws {
        guard batch.shard != nil, configuration.deidentification.siteSecretFile == nil else { return }
        printError("dcmveil protect: --shard needs a site secret shared by every shard: give --site-secret FILE, or set deidentification.siteSecretFile in --config (otherwise each shard would replace UIDs differently)")
        throw DcmVeilExit.usage
    }
}

extension OutputLayout: ExpressibleByArgument {}
