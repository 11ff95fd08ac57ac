import CDCMTKNet
#if canImport(Glibc)
import Glibc
#endif

/// C-STORE and C-GET through DCMTK (the CDCMTKNet shim): one association per series sent, one per
/// study fetched. DCMTK blocks; each call holds one thread for the length of its association.
struct DimseConnection: ArchiveConnection {
    let peer: DimsePeer

    func store(_ series: [OutgoingInstance]) async -> [String: NetError] {
        let sopClasses = Array(Set(series.map(\.sopClassUID))).sorted()
        return withPeer { cPeer in
            var error = cnet_error()
            let association = withCStrings(sopClasses) { cnet_open_storage(&cPeer, $0, sopClasses.count, &error) }
            guard let association else {
                let failure = NetError.unreachable(peer: peer.description, detail: error.text)
                return Dictionary(uniqueKeysWithValues: series.map { ($0.path, failure) })
            }
            defer { cnet_release(association) }
            var failures: [String: NetError] = [:]
            for (index, instance) in series.enumerated() {
                let status = cnet_store(association, instance.path, &error)
                if status < 0 {
                    // The association is gone: this instance and the rest wait for a retry.
                    for rest in series[index...] {
                        failures[rest.path] = .refused(peer: peer.description, file: rest.path, detail: error.text)
                    }
                    break
                }
                if !Self.isStored(status) {
                    failures[instance.path] = .refused(peer: peer.description, file: instance.path,
                                                       detail: "C-STORE status 0x" + String(status, radix: 16, uppercase: true))
                }
            }
            return failures
        }
    }

    func retrieveStudy(_ studyInstanceUID: String, into directory: String) async throws(NetError) -> Int {
        let outcome: Result<Int, NetError> = withPeer { cPeer in
            var error = cnet_error()
            var received = 0
            var failed = 0
            guard cnet_get_study(&cPeer, studyInstanceUID, directory, &received, &failed, &error) == 0 else {
                return .failure(.unreachable(peer: peer.description, detail: error.text))
            }
            guard failed == 0 else {
                return .failure(.failed(peer: peer.description, detail: "C-GET of study \(studyInstanceUID): \(failed) instances not sent"))
            }
            return .success(received)
        }
        return try outcome.get()
    }

    /// Success (0000) or a warning (Bxxx: stored, with coercion or elements discarded noted).
    static func isStored(_ status: Int32) -> Bool {
        status == 0 || (0xB000...0xBFFF).contains(status)
    }

    private func withPeer<T>(_ body: (inout cnet_peer) -> T) -> T {
        peer.host.withCString { host in
            peer.calledAETitle.withCString { called in
                peer.callingAETitle.withCString { calling in
                    var cPeer = cnet_peer(host: host, port: peer.port, called_ae_title: called, calling_ae_title: calling,
                                          timeout_seconds: Archive.timeoutSeconds)
                    return body(&cPeer)
                }
            }
        }
    }
}

/// `strings` as a C array of C strings, valid during `body`.
private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let copies = strings.map { UnsafePointer(strdup($0)) }
    defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension cnet_error {
    var text: String {
        withUnsafeBytes(of: message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
