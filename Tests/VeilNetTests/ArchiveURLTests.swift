import Foundation
import Testing
@testable import VeilNet

/// Archive URLs: what the command line accepts and what it refuses, with the reason.
struct ArchiveURLTests {
    @Test func dicomURLsNameThePeerAndOurAETitle() throws {
        #expect(try Archive(parsing: "dicom://ORTHANC@127.0.0.1:4242")
            == .dimse(DimsePeer(host: "127.0.0.1", port: 4242, calledAETitle: "ORTHANC", callingAETitle: "DCMVEIL")))
        #expect(try Archive(parsing: "dicom://PACS@archive.example:104?calling=WARD7").description == "PACS@archive.example:104")
        guard case .dimse(let peer) = try Archive(parsing: "dicom://PACS@h:104?calling=WARD7") else { Issue.record(); return }
        #expect(peer.callingAETitle == "WARD7")
    }

    @Test func tlsGoesWithDicomTLSURLsOnly() throws {
        let tls = DicomTLS(trustedCertificates: "ca.pem", identity: .init(certificate: "us.pem", privateKey: "us.key"))
        guard case .dimse(let peer) = try Archive(parsing: "dicom+tls://PACS@h:2762", tls: tls) else { Issue.record(); return }
        #expect(peer.tls == tls)
        #expect(peer.description == "PACS@h:2762 (TLS)")
        #expect(throws: NetError.self) { try Archive(parsing: "dicom+tls://PACS@h:2762") }
        #expect(throws: NetError.self) { try Archive(parsing: "dicom://PACS@h:104", tls: tls) }
        #expect(throws: NetError.self) { try Archive(parsing: "https://h/dicom-web", tls: tls) }
    }

    @Test func dicomWebURLsKeepTheirRoot() throws {
        #expect(try Archive(parsing: "http://127.0.0.1:8042/dicom-web/") == .dicomWeb(root: URL(string: "http://127.0.0.1:8042/dicom-web")!))
    }

    @Test(arguments: ["ftp://x@h:1", "dicom://h:104", "dicom://PACS@h", "dicom://A234567890123456X@h:104",
                      "dicom://PACS@h:104?calling=BAD%5CAE", "not a url"])
    func unusableURLsAreRefused(_ text: String) {
        #expect(throws: NetError.self) { try Archive(parsing: text) }
    }

    @Test func multipartRoundTrips() throws {
        let parts = [Data("first\r\n--not-the-boundary".utf8), Data([0, 1, 2, 13, 10])]
        let body = Multipart.body(parts, contentType: "application/dicom", boundary: "b0und")
        #expect(Multipart.parts(of: body, boundary: "b0und") == parts)
        #expect(Multipart.boundary(in: #"multipart/related; type="application/dicom"; boundary="b0und""#) == "b0und")
        #expect(Multipart.parts(of: body.dropLast(9), boundary: "b0und") == nil)
    }
}
