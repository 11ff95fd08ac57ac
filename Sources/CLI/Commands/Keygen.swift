import ArgumentParser
import Foundation

struct Keygen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an RSA-2048 private key (mode 0600) and a self-signed X.509 certificate (PEM).")

    @Option(help: "Directory for private-key.pem and certificate.pem.")
    var out: String

    func run() async throws { throw notImplementedYet("keygen") }
}
