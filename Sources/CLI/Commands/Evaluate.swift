import ArgumentParser
import Foundation
import VeilCrypto
import VeilEvaluate
import VeilPipeline

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce the paper's experiments: metrics, pictures, plots and an HTML report.",
        discussion: """
        Every grayscale frame big enough for a QR code is protected and restored; the report \
        directory gets metrics.json, metrics.csv, index.html and the pictures. Without --cert and \
        --key a throwaway RSA-2048 key is made for the run.
        """)

    @Argument(help: "DICOM files or directories.")
    var inputs: [String]

    @Option(help: "Report directory (created if missing).")
    var report: String

    @Option(help: "Recipient's X.509 certificate (PEM or DER); needs --key.")
    var cert: String?

    @OptionGroup var key: OptionalKeyOptions

    @Option(help: "Configuration file, as for protect.")
    var config: String?

    @Flag(help: "Window each frame to 8 bits before protecting it (the paper's setting).")
    var eightBit = false

    func validate() throws {
        if (cert == nil) != (key.key == nil) { throw ValidationError("--cert and --key go together.") }
    }

    func run() async throws {
        do {
            let (certificate, privateKey, description) = try keys()
            guard certificate.publicKey.fingerprint == privateKey.publicKey.fingerprint else {
                printError("dcmveil evaluate: the key in \(key.key ?? "") does not belong to the certificate \(cert ?? "")")
                throw DcmVeilExit.usage
            }
            let configuration = try config.map(ProtectionConfiguration.load) ?? ProtectionConfiguration()
            let evaluator = Evaluator(recipient: certificate, key: privateKey, configuration: configuration, eightBit: eightBit)
            let settings = EvaluationSettings(eightBit: eightBit, keyDescription: description,
                                              generated: Date().formatted(.iso8601))
            let result = try EvaluationReport.run(inputs, evaluator: evaluator, settings: settings, into: report) {
                printError("evaluating \($0)")
            }
            printSummary(result)
            if result.images.isEmpty { throw DcmVeilExit.failure }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("dcmveil evaluate: \(error)")
            throw DcmVeilExit.failure
        }
    }

    private func keys() throws -> (Certificate, PrivateKey, String) {
        if let cert, let privateKey = try key.privateKey(command: "evaluate") {
            let certificate = try Certificate(contentsOf: cert)
            return (certificate, privateKey, "recipient \(certificate.subject)")
        }
        let key = try PrivateKey.generateRSA()
        return (try Certificate.selfSigned(key: key, commonName: "dcmveil evaluation"), key, "throwaway RSA-2048 key")
    }

    private func printSummary(_ result: EvaluationReport) {
        func db(_ value: Double) -> String { value == .infinity ? "inf" : String(format: "%.2f", value) }
        func pair(_ quality: Quality) -> String { "\(db(quality.psnr)) dB / \(String(format: "%.4f", quality.ssim))" }
        for image in result.images {
            print("\(image.input) frame \(image.frame) (\(image.bitsStored) bits):")
            print("                stored values          displayed (8-bit)")
            for (name, stored, displayed) in [("protected", image.stored.protected, image.displayed.protected),
                                              ("intermediate", image.stored.intermediate, image.displayed.intermediate),
                                              ("unauthorized", image.stored.unauthorizedKeyRegion, image.displayed.unauthorizedKeyRegion),
                                              ("restored", image.stored.restored, image.displayed.restored)] {
                print("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0)
                      + pair(stored).padding(toLength: 23, withPad: " ", startingAt: 0) + pair(displayed))
            }
            print("  sweep         \(SweepFinding(image.sweep).description)")
        }
        for skipped in result.skipped { print("skipped \(skipped.input): \(skipped.reason)") }
        print("report: \(URL(fileURLWithPath: report).appendingPathComponent("index.html").path)")
    }
}
