internal import CDCMTKNet
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
                let failure = connectionFailure(error)
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
                return .failure(connectionFailure(error))
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

    /// Why no association came about: TLS, or the network.
    private func connectionFailure(_ error: cnet_error) -> NetError {
        error.tls != 0 ? .tls(peer: peer.description, detail: error.text)
            : .unreachable(peer: peer.description, detail: error.text)
    }

    private func withPeer<T>(_ body: (inout cnet_peer) -> T) -> T {
        let strings = [peer.host, peer.calledAETitle, peer.callingAETitle, peer.tls?.trustedCertificates,
                       peer.tls?.identity?.certificate, peer.tls?.identity?.privateKey]
        return withCStrings(strings) { c in
            var cPeer = cnet_peer(host: c[0], port: peer.port, called_ae_title: c[1], calling_ae_title: c[2],
                                  timeout_seconds: Archive.timeoutSeconds, tls_trusted_certificates: c[3],
                                  tls_certificate: c[4], tls_private_key: c[5])
            return body(&cPeer)
        }
    }
}

/// `strings` as a C array of C strings (NULL for nil), valid during `body`.
private func withCStrings<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
    let copies = strings.map { $0.map { UnsafePointer(strdup($0)) } ?? nil }
    defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension cnet_error {
    var text: String {
        withUnsafeBytes(of: message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
