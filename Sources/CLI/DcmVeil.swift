import ArgumentParser
import Foundation
import VeilBatch

@main
struct DcmVeil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dcmveil",
        abstract: "Protect DICOM images for open networks and restore them losslessly.",
        discussion: """
        protect hides each image's key region, encrypted, inside its own texture, scrambles the \
        texture, stamps a QR code with basic information and the RSA-wrapped keys, and \
        de-identifies the header. restore gives back the original bit for bit to the key holder.
        """,
        version: DcmVeil.version,
        subcommands: [
            Keygen.self, Protect.self, Restore.self, Verify.self, Inspect.self,
            Manifest.self, Evaluate.self, Stego.self, Sample.self, Send.self, Fetch.self,
        ]
    )

    static let version = "0.1.0"

    /// ArgumentParser's own entry point, after setting the process-wide malloc policy.
    static func main() async {
        MemoryPolicy.keepFreedMemory()
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
