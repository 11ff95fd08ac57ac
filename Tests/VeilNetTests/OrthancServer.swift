import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import VeilTestSupport

/// A real Orthanc (Debian's `orthanc` and `orthanc-dicomweb`) on loopback, with a temporary
/// configuration and storage folder and free high ports, for the duration of a test. `stop()`
/// (also run on deinit) ends it and removes its folder. With `tls`, its DICOM port speaks DICOM TLS
/// only and requires a client certificate.
final class OrthancServer {
    static let binary = ["/usr/sbin/Orthanc", "/usr/bin/Orthanc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let dicomWebPlugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
    static var isInstalled: Bool { binary != nil && FileManager.default.fileExists(atPath: dicomWebPlugin) }

    let aeTitle = "ORTHANC"
    let dicomPort: UInt16
    let httpPort: UInt16
    private let folder: String
    private var process: Process?

    private let tls: Bool
    var dimseURL: String { "\(tls ? "dicom+tls" : "dicom")://\(aeTitle)@127.0.0.1:\(dicomPort)" }
    var dicomWebURL: String { "http://127.0.0.1:\(httpPort)/dicom-web" }
    private var rest: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }

    /// Reserves the ports and writes the configuration; `start()` runs the server.
    init(tls: TestPKI.ServerFiles? = nil) throws {
        self.tls = tls != nil
        dicomPort = try freePort()
        httpPort = try freePort()
        folder = NSTemporaryDirectory() + "dcmveil-orthanc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/storage", withIntermediateDirectories: true)
        var configuration: [String: Any] = [
            "Name": "dcmveil-test", "StorageDirectory": folder + "/storage", "IndexDirectory": folder + "/storage",
            "HttpPort": Int(httpPort), "DicomPort": Int(dicomPort), "DicomAet": aeTitle,
            "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "DicomCheckCalledAet": true,
            // C-GET is answered for known modalities only; the port is never used by C-GET.
            "DicomModalities": ["dcmveil": ["DCMVEIL", "127.0.0.1", 1]],
            "Plugins": [Self.dicomWebPlugin], "DicomWeb": ["Enable": true, "Root": "/dicom-web/"],
        ]
        if let tls {
            configuration.merge([
                "DicomTlsEnabled": true, "DicomTlsCertificate": tls.certificate, "DicomTlsPrivateKey": tls.privateKey,
                "DicomTlsTrustedCertificates": tls.trustedCertificates, "DicomTlsRemoteCertificateRequired": true,
            ]) { $1 }
        }
        try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: folder + "/orthanc.json"))
    }

    deinit { stop() }

    /// Starts Orthanc and waits until its REST API answers `/system`.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary!)
        process.arguments = [folder + "/orthanc.json"]
        _ = FileManager.default.createFile(atPath: folder + "/orthanc.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/orthanc.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? get("/system")) != nil { return }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        let tail = (try? String(contentsOfFile: folder + "/orthanc.log", encoding: .utf8))?.suffix(2000) ?? ""
        stop()
        throw OrthancFailure(message: "Orthanc did not start:\n\(tail)")
    }

    /// Ends the server (SIGTERM, then SIGKILL after 10 s) and removes its folder.
    func stop() {
        if let process, process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        process = nil
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: REST API

    /// Orthanc's identifiers of every stored instance.
    func instances() throws -> [String] {
        try JSONSerialization.jsonObject(with: get("/instances")) as? [String] ?? []
    }

    /// The stored file of an instance, as Orthanc holds it.
    func file(_ instance: String) throws -> Data {
        try get("/instances/\(instance)/file")
    }

    /// The Study Instance UIDs stored.
    func studyUIDs() throws -> [String] {
        let studies = try JSONSerialization.jsonObject(with: get("/studies?expand")) as? [[String: Any]] ?? []
        return studies.compactMap { ($0["MainDicomTags"] as? [String: Any])?["StudyInstanceUID"] as? String }
    }

    /// Deletes every instance, to receive the next send into an empty archive.
    func clear() throws {
        for instance in try instances() { _ = try request("/instances/\(instance)", method: "DELETE") }
    }

    private func get(_ path: String) throws -> Data {
        try request(path, method: "GET")
    }

    private func request(_ path: String, method: String) throws -> Data {
        var request = URLRequest(url: URL(string: path, relativeTo: rest)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.result = (data, (response as? HTTPURLResponse)?.statusCode, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = box.result!
        guard let data, status == 200 else {
            throw OrthancFailure(message: "\(method) \(path): \(status.map { "HTTP \($0)" } ?? "no answer")\(error.map { " (\($0))" } ?? "")")
        }
        return data
    }
}

struct OrthancFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

private final class ResponseBox: @unchecked Sendable {
    var result: (Data?, Int?, (any Error)?)?
}
