import Foundation

/// Throwaway certificates for DICOM TLS tests, made by the `openssl` command in a folder: a CA that
/// signed a server certificate (for 127.0.0.1 and localhost) and a client certificate, and a rogue
/// CA that signed neither.
struct TestPKI {
    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What Orthanc needs to serve DICOM TLS.
    struct ServerFiles {
        var certificate: String
        var privateKey: String
        var trustedCertificates: String
    }

    let folder: String

    init(in folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for ca in ["ca", "rogue"] {
            try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", "/CN=dcmveil test \(ca)",
                     "-keyout", path(ca, "key"), "-out", path(ca, "crt")])
        }
        try issue("server", names: "IP:127.0.0.1,DNS:localhost")
        try issue("client", names: "DNS:dcmveil")
    }

    var server: ServerFiles {
        ServerFiles(certificate: path("server", "crt"), privateKey: path("server", "key"), trustedCertificates: path("ca", "crt"))
    }

    /// The command-line options of a client that trusts `ca` and presents the client certificate.
    func clientOptions(trusting ca: String = "ca") -> [String] {
        ["--tls-ca", path(ca, "crt"), "--tls-certificate", path("client", "crt"), "--tls-key", path("client", "key")]
    }

    func path(_ name: String, _ kind: String) -> String { "\(folder)/\(name).\(kind)" }

    /// A key and a certificate for `names` (subjectAltName syntax), signed by the CA.
    private func issue(_ name: String, names: String) throws {
        try run(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-keyout", path(name, "key"), "-out", path(name, "csr")])
        try "subjectAltName=\(names)\n".write(toFile: path(name, "ext"), atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-sha256", "-days", "2", "-in", path(name, "csr"), "-CA", path("ca", "crt"), "-CAkey", path("ca", "key"),
                 "-CAcreateserial", "-extfile", path(name, "ext"), "-out", path(name, "crt")])
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.openssl!)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OrthancFailure(message: "openssl \(arguments.joined(separator: " ")): \(String(decoding: text, as: UTF8.self))")
        }
    }
}
