import Foundation
import VeilFileSystem
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VeilDICOM

/// STOW-RS and WADO-RS (DICOM PS3.18) over URLSession: one POST per series sent, one GET per study
/// fetched, both `multipart/related; type="application/dicom"` with the files as they are on disk.
struct DicomWebConnection: ArchiveConnection {
    let root: URL

    private var peer: String { root.absoluteString }

    /// One session for the process: no cookies or cache kept, idle connections reused.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(Archive.timeoutSeconds)
        return URLSession(configuration: configuration)
    }()

    func store(_ series: [OutgoingInstance]) async -> [String: NetError] {
        var files: [Data] = []
        for instance in series {
            do {
                files.append(Data(try FileSystem.read(instance.path)))
            } catch {
                return everyone(series, .badFile(path: instance.path, detail: error.reason))
            }
        }
        let boundary = "dcmveil-" + UUID().uuidString
        var request = URLRequest(url: root.appendingPathComponent("studies"))
        request.httpMethod = "POST"
        request.setValue("multipart/related; type=\"application/dicom\"; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue("application/dicom+json", forHTTPHeaderField: "Accept")
        let body = Multipart.body(files, contentType: "application/dicom", boundary: boundary)

        let answer: (Data, Int)
        do {
            answer = try await exchange(request, body: body)
        } catch {
            return everyone(series, error)
        }
        guard (200..<300).contains(answer.1) else {
            let detail = "STOW-RS answered HTTP \(answer.1)\(Self.excerpt(answer.0))"
            // 408 (timeout) and 429 (too many requests) are worth a retry; other 4xx are not.
            let permanent = (400..<500).contains(answer.1) && ![408, 429].contains(answer.1)
            return everyone(series, permanent ? .rejected(peer: peer, detail: detail) : .failed(peer: peer, detail: detail))
        }
        let outcome = StowResponse(answer.0)
        var failures: [String: NetError] = [:]
        for instance in series where !outcome.stored.contains(instance.sopInstanceUID) {
            let reason = outcome.failureReasons[instance.sopInstanceUID].map { "failure reason \($0)" }
                ?? "not listed as stored in the STOW-RS response"
            failures[instance.path] = .refused(peer: peer, file: instance.path, detail: reason)
        }
        return failures
    }

    func retrieveStudy(_ studyInstanceUID: String, into directory: String) async throws(NetError) -> Int {
        var request = URLRequest(url: root.appendingPathComponent("studies").appendingPathComponent(studyInstanceUID))
        // transfer-syntax=*: the files as stored, not transcoded.
        request.setValue("multipart/related; type=\"application/dicom\"; transfer-syntax=*", forHTTPHeaderField: "Accept")
        let (data, status, contentType) = try await fetch(request)
        guard status == 200 else {
            throw .failed(peer: peer, detail: "WADO-RS of study \(studyInstanceUID) answered HTTP \(status)\(Self.excerpt(data))")
        }
        guard let boundary = contentType.flatMap(Multipart.boundary(in:)), let parts = Multipart.parts(of: data, boundary: boundary) else {
            throw .failed(peer: peer, detail: "WADO-RS of study \(studyInstanceUID): not a multipart/related answer")
        }
        for (index, part) in parts.enumerated() {
            let name = "\(peer) part \(index + 1)"
            let uid: String?
            do {
                uid = try DicomFile(bytes: [UInt8](part), name: name).dataSet.string(.sopInstanceUID)
            } catch {
                throw .badFile(path: name, detail: "not DICOM (\(error))")
            }
            guard let uid, uid.allSatisfy({ $0.isNumber || $0 == "." }) else {
                throw .badFile(path: name, detail: "no usable SOP Instance UID")
            }
            let path = directory + "/" + uid + ".dcm"
            do {
                try part.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw .badFile(path: path, detail: "cannot write (\(error.localizedDescription))")
            }
        }
        return parts.count
    }

    private func exchange(_ request: URLRequest, body: Data) async throws(NetError) -> (Data, Int) {
        do {
            let (data, response) = try await Self.session.upload(for: request, from: body)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw .unreachable(peer: peer, detail: "request failed (\(error.localizedDescription))")
        }
    }

    private func fetch(_ request: URLRequest) async throws(NetError) -> (Data, Int, String?) {
        do {
            let (data, response) = try await Self.session.data(for: request)
            let http = response as? HTTPURLResponse
            return (data, http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type"))
        } catch {
            throw .unreachable(peer: peer, detail: "request failed (\(error.localizedDescription))")
        }
    }

    private func everyone(_ series: [OutgoingInstance], _ error: NetError) -> [String: NetError] {
        Dictionary(uniqueKeysWithValues: series.map { ($0.path, error) })
    }

    /// The start of an error body, which servers use to say why.
    private static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(300), as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return text.isEmpty ? "" : ": " + text
    }
}

/// What a STOW-RS response (DICOM JSON) says about each instance.
private struct StowResponse {
    /// SOP Instance UIDs in the Referenced SOP Sequence (0008,1199).
    var stored: Set<String> = []
    /// Failure Reason (0008,1197) by SOP Instance UID, from the Failed SOP Sequence (0008,1198).
    var failureReasons: [String: Int] = [:]

    init(_ data: Data) {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        func items(_ tag: String) -> [[String: Any]] {
            (json[tag] as? [String: Any])?["Value"] as? [[String: Any]] ?? []
        }
        func value(_ item: [String: Any], _ tag: String) -> Any? {
            ((item[tag] as? [String: Any])?["Value"] as? [Any])?.first
        }
        stored = Set(items("00081199").compactMap { value($0, "00081155") as? String })
        for item in items("00081198") {
            if let uid = value(item, "00081155") as? String {
                failureReasons[uid] = (value(item, "00081197") as? NSNumber)?.intValue ?? 0
            }
        }
    }
}
