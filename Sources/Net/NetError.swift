/// Why sending or fetching failed. Every message names the peer, and the file when there is one,
/// so that a line in a cron log or a manifest's `send_error` says where to look.
package enum NetError: Error, Equatable, CustomStringConvertible {
    /// The archive URL cannot be used.
    case badURL(String, String)
    /// No connection or association: the peer is down, refuses us, or does not answer in time.
    case unreachable(peer: String, detail: String)
    /// The peer answered but did not store `file`.
    case refused(peer: String, file: String, detail: String)
    /// The peer answered a request with something other than success.
    case failed(peer: String, detail: String)
    /// The peer refuses the request itself (an HTTP 4xx): trying again will not help.
    case rejected(peer: String, detail: String)
    /// A file to send, or one fetched, is not what it should be.
    case badFile(path: String, detail: String)
    /// DICOM TLS failed: a certificate or key file we were given, or the handshake (the peer's
    /// certificate is not trusted or not for this host, or the peer does not trust ours).
    case tls(peer: String, detail: String)

    package var description: String {
        switch self {
        case let .badURL(url, detail): "\(url): \(detail)"
        case let .unreachable(peer, detail): "\(peer): \(detail)"
        case let .refused(peer, file, detail): "\(peer): did not store \(file) (\(detail))"
        case let .failed(peer, detail), let .rejected(peer, detail), let .tls(peer, detail): "\(peer): \(detail)"
        case let .badFile(path, detail): "\(path): \(detail)"
        }
    }

    /// Whether trying again later may succeed (the network, not the file, was at fault). A TLS
    /// failure is a matter of certificates, which do not mend in seconds.
    package var isTransient: Bool {
        switch self {
        case .unreachable, .refused, .failed: true
        case .badURL, .badFile, .rejected, .tls: false
        }
    }
}
