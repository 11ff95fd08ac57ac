import VeilQR

/// What a protected frame's QR code holds (format version 1):
///
///     DCMVEIL PROTECTED IMAGE          ┐
///     Hospital: …                      │ basic information: UTF-8, byte segment,
///     Contact: 5628****                ┘ readable by any phone
///     DV1/0123456789ABCDEF/<Base45>      key block: alphanumeric segment
///
/// The key block is `DV` + format version + `/` + the recipient key's short fingerprint (16 hex
/// digits) + `/` + Base45 of the RSA-OAEP ciphertext of (content key ‖ embedding parameters).
/// It comes last, after a newline, so a phone shows the readable lines first.
struct QRContent: Equatable, Sendable {
    static let version = 1
    private static let prefix = "DV\(version)/"

    var basicInformation: [String]
    var keyFingerprint: String
    var wrappedKey: [UInt8]

    /// The plain-text part, which is also bound to the payload as associated data.
    var basicText: String { basicInformation.joined(separator: "\n") }

    var keyBlock: String { Self.prefix + keyFingerprint + "/" + Base45.encode(wrappedKey) }

    /// Parses what a QR reader returned.
    init(decoding bytes: [UInt8]) throws(ProtectionError) {
        guard let text = String(bytes: bytes, encoding: .utf8),
              let newline = text.lastIndex(of: "\n") else { throw .notAProtectedImage("the QR code is not a dcmveil code") }
        let block = text[text.index(after: newline)...]
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
        basicInformation = text[..<newline].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    init(basicInformation: [String], keyFingerprint: String, wrappedKey: [UInt8]) {
        self.basicInformation = basicInformation
        self.keyFingerprint = keyFingerprint
        self.wrappedKey = wrappedKey
    }
}
