import Foundation

/// Where protected outputs go and come back from, as given on the command line:
/// `dicom://AET@host:port[?calling=OURAET]` for DIMSE (C-STORE, C-GET), `dicom+tls://…` for the
/// same over DICOM TLS, or `http(s)://host:port/root` for DICOMweb (STOW-RS, WADO-RS), `root` being
/// the DICOMweb base (Orthanc's is `/dicom-web`).
///
/// The scheme, not the presence of certificate files, says whether TLS is used, so that a URL in a
/// script or a manifest shows at a glance whether images cross the network in the clear.
package enum Archive: Sendable, Equatable, CustomStringConvertible {
    case dimse(DimsePeer)
    case dicomWeb(root: URL)

    /// Our AE title when the URL names none.
    package static let defaultCallingAETitle = "DCMVEIL"

    /// `tls` is required with `dicom+tls://` and refused with any other scheme: files given for
    /// TLS with a plain URL would otherwise be silently ignored, and the images sent in the clear.
    package init(parsing text: String, tls: DicomTLS? = nil) throws(NetError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .badURL(text, "expected dicom://AET@host:port, dicom+tls://AET@host:port or http(s)://host:port/dicom-web")
        }
        switch (scheme, tls) {
        case ("dicom+tls", nil):
            throw .badURL(text, "DICOM TLS needs the certificate to trust the archive by (--tls-ca)")
        case ("dicom", .some), ("http", .some), ("https", .some):
            throw .badURL(text, "TLS certificates apply to dicom+tls:// archives only")
        default:
            break
        }
        switch scheme {
        case "dicom", "dicom+tls":
            guard let called = components.user, !called.isEmpty, let port = components.port else {
                throw .badURL(text, "a DICOM archive is dicom://AET@host:port")
            }
            let calling = components.queryItems?.first { $0.name == "calling" }?.value ?? Self.defaultCallingAETitle
            for title in [called, calling] where !Self.isValidAETitle(title) {
                throw .badURL(text, "\(title) is not an AE title (1 to 16 characters, no backslash or control characters)")
            }
            guard (1...65535).contains(port) else { throw .badURL(text, "port \(port) out of range") }
            self = .dimse(DimsePeer(host: host, port: UInt16(port), calledAETitle: called, callingAETitle: calling, tls: tls))
        case "http", "https":
            var root = components
            while root.path.hasSuffix("/") { root.path.removeLast() }
            guard let url = root.url else { throw .badURL(text, "not a URL") }
            self = .dicomWeb(root: url)
        default:
            throw .badURL(text, "unknown scheme \(scheme); use dicom://, dicom+tls:// or http(s)://")
        }
    }

    /// The peer, as every message names it.
    package var description: String {
        switch self {
        case .dimse(let peer): peer.description
        case .dicomWeb(let root): root.absoluteString
        }
    }

    /// DICOM PS3.8 9.3.1: up to 16 characters of the default repertoire, no backslash, not all spaces.
    private static func isValidAETitle(_ title: String) -> Bool {
        (1...16).contains(title.utf8.count) && title.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }
            && title.contains { $0 != " " }
    }
}

/// A DICOM application entity on the network, and the AE title we introduce ourselves with.
package struct DimsePeer: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: UInt16
    package var calledAETitle: String
    package var callingAETitle: String
    /// DICOM TLS, or nil for plain TCP.
    package var tls: DicomTLS? = nil

    package var description: String { "\(calledAETitle)@\(host):\(port)" + (tls == nil ? "" : " (TLS)") }
}

/// DICOM TLS (PS3.15 Annex B, BCP 195 profile) with an archive, as PEM files.
///
/// The archive's certificate is always verified, against `trustedCertificates` and against the
/// host name in the URL: there is no switch to turn that off. An archive with a self-signed
/// certificate is trusted by giving that certificate itself as `trustedCertificates`.
package struct DicomTLS: Sendable, Equatable {
    /// The CA certificates (or the archive's own certificate) to trust the archive by.
    package var trustedCertificates: String
    /// Our certificate and its unencrypted private key, for archives that want to know who sends
    /// (most do); nil to present none.
    package var identity: Identity?

    package struct Identity: Sendable, Equatable {
        package var certificate: String
        package var privateKey: String

        package init(certificate: String, privateKey: String) {
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }

    package init(trustedCertificates: String, identity: Identity? = nil) {
        self.trustedCertificates = trustedCertificates
        self.identity = identity
    }
}
