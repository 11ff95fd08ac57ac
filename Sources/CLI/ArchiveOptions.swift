import ArgumentParser
import Foundation
import VeilBatch
import VeilNet

// What every command that talks to an archive shares: `send`, `protect --send`, `fetch`, `restore --from`.

/// Options for sending, shared by `send` and `protect --send`.
struct SendOptions: ParsableArguments {
    @Option(help: "Further attempts per series after a failed one.")
    var retries = 3

    @Option(help: "Seconds before the first retry; each further retry waits twice as long.")
    var retryDelay = 1.0

    func validate() throws {
        if retries < 0 { throw ValidationError("--retries must be 0 or more.") }
        if !(retryDelay >= 0) { throw ValidationError("--retry-delay must be 0 or more seconds.") }
    }
}

/// Certificates for a dicom+tls:// archive, shared by every command that takes an archive URL.
/// There is deliberately no option to skip verifying the archive: an archive with a self-signed
/// certificate is trusted by giving that certificate as --tls-ca.
struct TLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-ca"), help: ArgumentHelp("With dicom+tls://: PEM file of the CA certificates (or the archive's own certificate) to trust the archive by.", valueName: "pem"))
    var trustedCertificates: String?

    @Option(name: .customLong("tls-certificate"), help: ArgumentHelp("With dicom+tls://: PEM file of our certificate, for archives that want to know who sends.", valueName: "pem"))
    var certificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("With --tls-certificate: PEM file of its private key (unencrypted).", valueName: "pem"))
    var privateKey: String?

    func validate() throws {
        if (certificate == nil) != (privateKey == nil) { throw ValidationError("--tls-certificate and --tls-key go together.") }
        if certificate != nil && trustedCertificates == nil { throw ValidationError("--tls-certificate needs --tls-ca.") }
    }

    var settings: DicomTLS? {
        trustedCertificates.map { trusted in
            DicomTLS(trustedCertificates: trusted, identity: certificate.map { DicomTLS.Identity(certificate: $0, privateKey: privateKey!) })
        }
    }
}

/// The archive a URL names, or a usage error (exit 64).
func parseArchive(_ url: String, tls: TLSOptions, command: String) throws -> Archive {
    do {
        return try Archive(parsing: url, tls: tls.settings)
    } catch {
        printError("dcmveil \(command): \(error)")
        throw DcmVeilExit.usage
    }
}

/// Sends `directory`'s protected outputs and says how it went; returns the documented exit code.
func sendOutputs(of directory: String, to archive: Archive, _ options: SendOptions, command: String) async -> ExitCode {
    var sender = Sender(archive: archive)
    sender.retries = options.retries
    sender.retryDelay = .milliseconds(Int(options.retryDelay * 1000))
    do {
        let summary = try await sender.send(directory: directory) { printError("dcmveil \(command): \($0)") }
        printError("dcmveil \(command): \(archive): \(summary.line)")
        return summary.unsent.isEmpty ? DcmVeilExit.success : DcmVeilExit.partialFailure
    } catch let error as BatchError {
        printError("dcmveil \(command): \(error)")
        if case .locked = error { return DcmVeilExit.locked }
        return DcmVeilExit.failure
    } catch {
        printError("dcmveil \(command): \(error)")
        return DcmVeilExit.failure
    }
}
