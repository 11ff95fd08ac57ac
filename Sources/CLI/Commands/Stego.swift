import ArgumentParser
import Foundation
import VeilStego

struct Stego: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hide an encrypted DICOM file in a cover image's least significant bits, and get it back.",
        discussion: """
        hide compresses the secret file, seals it with AES-256-GCM under a random key wrapped with \
        RSA-OAEP for the recipient, and puts one bit in the least significant bit of each cover sample \
        (DICOM of any depth and colour, all frames; or 8/16-bit grey or 8-bit RGB PNG). reveal gives the \
        file back byte for byte to the holder of the private key, or refuses.
        """,
        subcommands: [Hide.self, Reveal.self]
    )

    struct Hide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide a secret file in a cover image.")

        @Option(help: "Cover image (DICOM or PNG).") var cover: String
        @Option(help: "Secret DICOM file.") var secret: String
        @Option(help: "Output stego image (the cover's format).") var out: String
        @Option(help: "Recipient's certificate.") var cert: String
        @Option(help: "Order of the payload bits after the header: sequential or keyed (scattered by a public seed).")
        var order: EmbeddingOrder = .sequential
        @Option(help: "Directory for an HTML report: histograms, pictures, PSNR and SSIM.") var report: String?

        func run() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let (hidden, report) = try Steganography.hide(
                    secret: secret, cover: cover, certificate: cert, order: order, to: out, report: self.report)
                print("dcmveil stego hide: \(secret) (\(hidden.recovered.count) bytes, \(hidden.compressedByteCount) compressed, "
                    + "\(hidden.sealed.count) sealed) hidden in \(out)")
                print("samples used: \(hidden.usedSamples) of \(hidden.stego.sampleCount), changed: \(hidden.changedSamples); "
                    + "order: \(order.rawValue); \(seconds(clock.now - start))")
                if let report, let directory = self.report {
                    print(String(format: "PSNR %.2f dB, SSIM %.6f; report: %@/index.html", report.psnr, report.ssim, directory))
                }
            } catch {
                printError("dcmveil stego hide: \(error)")
                throw DcmVeilExit.failure
            }
        }
    }

    struct Reveal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extract and decrypt the hidden file.")

        @Argument(help: "Stego image.") var stego: String
        @Option(help: "Output file.") var out: String
        @OptionGroup var key: KeyOptions

        func run() async throws {
            let privateKey = try key.privateKey(command: "stego reveal")
            do {
                let secret = try Steganography.reveal(stego, key: privateKey, to: out)
                print("dcmveil stego reveal: \(out) (\(secret.count) bytes)")
            } catch {
                printError("dcmveil stego reveal: \(error)")
                throw DcmVeilExit.failure
            }
        }
    }
}

extension EmbeddingOrder: ExpressibleByArgument {}

private func seconds(_ duration: Duration) -> String {
    let (whole, fraction) = duration.components
    return String(format: "%.2f s", Double(whole) + Double(fraction) / 1e18)
}
