import VeilQR

/// What a protected frame's QR code holds (format version 1):
///
///     DCMVEIL PROTECTED IMAGE          ┐
///     Hospital: …                      │ basic information: UTF-8, byte segment,
///     Contact: 5628****                ┘ readable by any phone
///     DV1/0123456789ABCDEF/<Base45>      key block: alphanumeric segment
///
/// The key block is `DV` + format version + `/` + the recipient key's short fingerprint (16 hex
/// digits, upper case: the alphanumeric mode has no lower case) + `/` + Base45 of the RSA-OAEP ciphertext of (content key ‖ embedding parameters).
/// It comes last, after a newline, so a phone shows the readable lines first.
struct QRContent: Equatable, Sendable {
    static let version = 1
    private static let prefix = "DV\(version)/"

    var basicInformation: [String]
    var keyFingerprint: String
    var wrappedKey: [UInt8]

    /// The plain-text part, which is also bound to the payload as associated data.
    var basicText: String { basicInformation.joined(separator: "\n") }

    /// Readable lines in a byte segment (if any), then the key block in an alphanumeric segment.
    var segments: [QRSegment] {
        basicInformation.isEmpty ? [.alphanumeric(keyBlock)] : [.bytes(Array((basicText + "\n").utf8)), .alphanumeric(keyBlock)]
    }

    /// What a QR reader returns for `segments`.
    var bytes: [UInt8] { Array(((basicInformation.isEmpty ? "" : basicText + "\n") + keyBlock).utf8) }

    var keyBlock: String { Self.prefix + keyFingerprint + "/" + Base45.encode(wrappedKey) }

    /// Parses what a QR reader returned.
    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw .notAProtectedImage("the QR code is not a dcmveil code")
        }
        let newline = text.lastIndex(of: "\n")
        let block = newline.map { text[text.index(after: $0)...] } ?? text[...]
        guard block.hasPrefix("DV") else { throw .notAProtectedImage("the QR code is not a dcmveil code") }
        guard block.hasPrefix(Self.prefix) else {
            throw .unsupportedFormat("QR key block \(block.prefix(3)) (this dcmveil reads version \(Self.version))")
        }
        let fields = block.dropFirst(Self.prefix.count)
        guard fields.count > 17, fields[fields.index(fields.startIndex, offsetBy: 16)] == "/" else {
            throw .corruptQR("the key block is malformed")
        }
        keyFingerprint = String(fields.prefix(16))
        guard let wrapped = try? Base45.decode(String(fields.dropFirst(17))) else {
            throw .corruptQR("the key block's Base45 is malformed")
        }
        wrappedKey = wrapped
        basicInformation = newline.map { text[..<$0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
    }

    init(basicInformation: [String], keyFingerprint: String, wrappedKey: [UInt8]) {
        self.basicInformation = basicInformation
        self.keyFingerprint = keyFingerprint
        self.wrappedKey = wrappedKey
    }
}
