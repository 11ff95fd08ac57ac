import Foundation
import VeilDICOM
import VeilQR

/// The human-readable lines at the top of a protected image's QR code (SPEC §3.6): what a phone
/// scanning the image shows, for retrieval. Which fields appear, and how each is masked, is
/// configuration. By default the lines are read from the *de-identified* header, so scanning the
/// code reveals nothing the header does not; the source paper's identifying field set is the
/// `paper` preset, read from the original attributes (and then the marks say so).
package struct BasicInformationField: Sendable, Codable, Equatable {
    /// Label shown before the value.
    package var label: String
    /// Attributes whose values are joined with a space (e.g. Modality and Body Part Examined).
    package var tags: [String]
    /// Show only this many leading characters and mask the rest with `*` (nil: show all).
    package var visibleCharacters: Int?

    package init(label: String, tags: [String], visibleCharacters: Int? = nil) {
        self.label = label
        self.tags = tags
        self.visibleCharacters = visibleCharacters
    }

    /// The default: values the de-identified header itself carries (the replaced Patient ID,
    /// modality and body part, the study date as the date option leaves it).
    package static let defaults: [BasicInformationField] = [
        .init(label: "Patient", tags: ["0010,0020"]),
        .init(label: "Image", tags: ["0008,0060", "0018,0015"]),
        .init(label: "Study date", tags: ["0008,0020"]),
    ]

    /// The paper's fields (preset "paper", read from the original attributes): hospital,
    /// department, doctor, patient number, time, contact (masked), image type.
    package static let paper: [BasicInformationField] = [
        .init(label: "Hospital", tags: ["0008,0080"]),
        .init(label: "Department", tags: ["0008,1040"]),
        .init(label: "Doctor", tags: ["0008,0090"]),
        .init(label: "Patient No", tags: ["0010,0020"]),
        .init(label: "Time", tags: ["0008,0020", "0008,0030"]),
        .init(label: "Contact", tags: ["0010,2154"], visibleCharacters: 4),
        .init(label: "Image", tags: ["0008,0060", "0018,0015"]),
    ]
}

enum BasicInformation {
    /// Header line that tells a person scanning the code what it is.
    static let title = "DCMVEIL PROTECTED IMAGE"

    /// "Label: value" lines from the original (not yet de-identified) attributes. Values are
    /// cut to keep the QR small; empty fields are left out.
    static func lines(from dataSet: DataSet, fields: [BasicInformationField], maximumValueLength: Int = 40,
                      withTitle: Bool = true) -> [String] {
        var lines = withTitle ? [title] : []
        for field in fields {
            let value = field.tags
                .compactMap { Tag(parsing: $0).flatMap { dataSet.string($0) } }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .joined(separator: " ")
            guard !value.isEmpty else { continue }
            lines.append("\(field.label): \(masked(String(value.prefix(maximumValueLength)), visible: field.visibleCharacters))")
        }
        return lines
    }

    static func masked(_ value: String, visible: Int?) -> String {
        guard let visible, value.count > visible else { return value }
        return String(value.prefix(visible)) + String(repeating: "*", count: value.count - visible)
    }

    /// The longest version of the lines whose QR code, with a key block of `keyBlockLength`
    /// characters, still fits `side` pixels at 2 px/module with a 2-module quiet zone: values are
    /// cut shorter, then the title goes, then fields from the end. The key block always fits.
    ///
    /// Fit is decided by the QR capacity arithmetic (the version libqrencode picks is the smallest
    /// whose data capacity holds the segments), so no symbol is built here; the caller's one real
    /// encode of the final content, whose key block has the same length, renders into the same side
    /// and throws if it ever did not fit.
    static func fitted(from dataSet: DataSet, fields: [BasicInformationField], keyBlock: String,
                       side: Int) throws -> [String] {
        let maximumModules = side / QRLayout.minimumModulePixels - 2 * QRLayout.quietZoneModules
        // Versions whose symbols (17 + 4·version modules) fit.
        let maximumVersion = min((maximumModules - 17) / 4, 40)
        func fits(_ lines: [String]) -> Bool {
            guard maximumVersion >= 1 else { return false }
            let content = lines.isEmpty ? [QRSegment.alphanumeric(keyBlock)]
                : [.bytes(Array((lines.joined(separator: "\n") + "\n").utf8)), .alphanumeric(keyBlock)]
            return QRCode.smallestVersion(for: content, maximumVersion: maximumVersion) != nil
        }
        for length in [40, 24, 16] {
            let lines = Self.lines(from: dataSet, fields: fields, maximumValueLength: length)
            if fits(lines) { return lines }
        }
        var lines = Self.lines(from: dataSet, fields: fields, maximumValueLength: 16, withTitle: false)
        while true {
            if fits(lines) { return lines }
            guard !lines.isEmpty else { break }
            lines.removeLast()
        }
        throw ProtectionError.configuration("a \(side)×\(side) key region cannot hold the QR code's key block")
    }
}

/// How the QR code is drawn: the smallest module and quiet zone that phones and zbar read reliably,
/// and so the smallest key region that holds the largest code the key block may need.
enum QRLayout {
    static let minimumModulePixels = 2
    static let quietZoneModules = 2
    /// A version-14 code (73 modules: RSA-2048's key block with room for the readable lines).
    static let largestModules = 73
    /// (73 + 2 × 2) × 2 = 154 pixels.
    static let minimumKeyRegionSide = (largestModules + 2 * quietZoneModules) * minimumModulePixels
}
