import Foundation
import Testing
import VeilBatch

/// DIMSE over DICOM TLS against a real Orthanc whose DICOM port requires TLS and a client
/// certificate, with certificates made for the test. One server and one workspace throughout, as
/// starting and stopping Orthanc is most of the time a test takes.
@Suite(.enabled(if: OrthancServer.isInstalled && TestPKI.openssl != nil, "Orthanc or openssl is not installed"))
struct DicomTLSTests {
    @Test func refusesAnUntrustedArchiveThenSendsFetchesAndRestoresOverTLSExactly() throws {
        let workspace = try Workspace()
        let pki = try TestPKI(in: workspace.root + "/pki")
        let server = try OrthancServer(tls: pki.server)
        defer { server.stop() }
        try server.start()
        #expect(try workspace.protect("out").status == 0)
        let peer = "\(server.aeTitle)@127.0.0.1:\(server.dicomPort) (TLS)"

        // Trusting another CA: refused at the handshake, not retried (a certificate does not become
        // trusted in a second), every record unsent with the reason.
        let untrusted = try workspace.run(["send", "out", "--to", server.dimseURL, "--retry-delay", "5"] + pki.clientOptions(trusting: "rogue"))
        #expect(untrusted.status == 2)
        let refusal = "\(peer): TLS handshake failed (TLS error: certificate verify failed)"
        #expect(untrusted.stderr.contains(refusal), "\(untrusted.stderr)")
        #expect(!untrusted.stderr.contains("retrying"))
        #expect(try workspace.manifest("out").allSatisfy { $0.sent == false && $0.sendError == refusal })
        #expect(try server.instances().isEmpty)

        // TLS files with a plain URL, or a file that is not there, are refused as such.
        let plainURL = server.dimseURL.replacingOccurrences(of: "dicom+tls://", with: "dicom://")
        let plain = try workspace.run(["send", "out", "--to", plainURL] + pki.clientOptions())
        #expect(plain.status == 64)
        #expect(plain.stderr.contains("TLS certificates apply to dicom+tls:// archives only"), "\(plain.stderr)")
        let missing = try workspace.run(["send", "out", "--to", server.dimseURL, "--tls-ca", "nowhere.pem"])
        #expect(missing.stderr.contains("\(peer): TLS: cannot read nowhere.pem (No such file or directory)"), "\(missing.stderr)")

        // The right CA: everything goes, byte for byte.
        let tls = pki.clientOptions()
        let sent = try workspace.run(["send", "out", "--to", server.dimseURL] + tls)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stderr.contains("\(peer): 6 sent, 0 already sent, 0 not sent"), "\(sent.stderr)")
        let records = try workspace.manifest("out")
        #expect(records.allSatisfy { $0.sent == true && $0.sendError == nil })
        let stored = try server.instances().map { try sha256(server.file($0)) }.sorted()
        #expect(stored == records.compactMap(\.outputSHA256).sorted())

        // C-GET back over TLS. DCMTK writes what it receives anew (sequences in undefined length),
        // so restoring the fetched files to the original bytes is what shows they came back intact.
        let study = try #require(server.studyUIDs().first)
        let fetched = try workspace.run(["fetch", server.dimseURL, "--study", study, "--out", "fetched"] + tls)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(try workspace.hashes(under: "fetched").count == 6)
        let restored = try workspace.run(["restore", "--from", server.dimseURL, "--study", study, "--out", "restored",
                                          "--key", "keys/private-key.pem"] + tls)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try workspace.hashes(under: "restored") == workspace.hashes(under: "in"))
    }
}
