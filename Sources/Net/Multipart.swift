import Foundation

/// `multipart/related` bodies (RFC 2387), as STOW-RS sends and WADO-RS answers DICOM instances.
enum Multipart {
    private static let crlf = Data("\r\n".utf8)

    /// One body holding each part with its `Content-Type`.
    static func body(_ parts: [Data], contentType: String, boundary: String) -> Data {
        var body = Data()
        for part in parts {
            body += Data("--\(boundary)\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
            body += part
            body += crlf
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return body
    }

    /// The parts' contents (headers dropped), or nil when the body has no closing delimiter.
    static func parts(of body: Data, boundary: String) -> [Data]? {
        // Every delimiter follows a CRLF, the first one too once one is put in front.
        let data = crlf + body
        let delimiter = Data("\r\n--\(boundary)".utf8)
        var parts: [Data] = []
        guard var start = data.range(of: delimiter)?.upperBound else { return nil }
        while let next = data.range(of: delimiter, in: start..<data.endIndex) {
            guard let headersEnd = data.range(of: crlf + crlf, in: start..<next.lowerBound) else { return nil }
            parts.append(data.subdata(in: headersEnd.upperBound..<next.lowerBound))
            start = next.upperBound
            if data[start...].starts(with: Data("--".utf8)) { return parts }
        }
        return nil
    }

    /// The `boundary` parameter of a `Content-Type` header.
    static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
