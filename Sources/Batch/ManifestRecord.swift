import Foundation

/// What happened to one input: a line of `manifest.jsonl`.
///
/// The line is written by hand (`jsonLine`) so that its keys always come in the same order:
/// `input`, `status`, `reason`, `input_sha256`, `output`, `output_sha256`, `pixel_sha256`, then
/// `frames`, `sent` and `send_error` in a protect manifest or `byte_exact` in a restore manifest. Keys are always present
/// (`null` when they do not apply), so that `diff` lines up field for field. No timestamps:
/// the same inputs give the same line.
package struct ManifestRecord: Sendable, Equatable, Decodable {
    package enum Status: String, Sendable, Codable, CaseIterable {
        case protected, headerOnly = "header-only", restored, reidentified = "re-identified", skipped, failed

        /// Whether the record stands for an output file.
        package var hasOutput: Bool { [.protected, .headerOnly, .restored, .reidentified].contains(self) }
    }

    /// One protected frame's parameters (nil for records of a restore manifest).
    package struct Frame: Sendable, Equatable, Decodable {
        package var keyRegion: [Int]
        package var threshold: Int
        package var p: Int
        package var q: Int
        package var passes: Int
        package var payloadBytes: Int
        package var capacityBits: Int
        /// Share of the key region on the anatomy, two decimals (nil in manifests written before it was recorded).
        package var keyRegionForeground: Double?
        /// Burned-in text regions hidden, [x, y, width, height] each; nil when OCR did not examine the
        /// frame and no rule applied.
        package var textRegions: [[Int]]?

        enum CodingKeys: String, CodingKey {
            case keyRegion = "key_region", threshold = "t", p, q, passes
            case payloadBytes = "payload_bytes", capacityBits = "capacity_bits"
            case keyRegionForeground = "key_region_foreground", textRegions = "text_regions"
        }

        package init(keyRegion: [Int], threshold: Int, p: Int, q: Int, passes: Int, payloadBytes: Int, capacityBits: Int,
                    keyRegionForeground: Double? = nil, textRegions: [[Int]]? = nil) {
            self.keyRegionForeground = keyRegionForeground
            self.textRegions = textRegions
            self.keyRegion = keyRegion
            self.threshold = threshold
            self.p = p
            self.q = q
            self.passes = passes
            self.payloadBytes = payloadBytes
            self.capacityBits = capacityBits
        }
    }

    package var input: String
    package var status: Status
    package var reason: String?
    package var inputSHA256: String?
    /// Relative to the output directory.
    package var output: String?
    package var outputSHA256: String?
    /// SHA-256 of the original decoded pixel data (protect), or of the restored (restore): equal
    /// for the same image, which is what `verify --key` checks.
    package var pixelSHA256: String?
    /// Protect manifests: the frames protected (empty when none were).
    package var frames: [Frame]?
    /// Restore manifests: whether the restored file is the original byte for byte.
    package var byteExact: Bool?
    /// Protect manifests: whether the output reached the archive of the last `send` (nil: never sent).
    package var sent: Bool?
    /// Protect manifests: why the last attempt to send the output failed.
    package var sendError: String?

    enum CodingKeys: String, CodingKey {
        case input, status, reason, inputSHA256 = "input_sha256", output, outputSHA256 = "output_sha256"
        case pixelSHA256 = "pixel_sha256", frames, byteExact = "byte_exact", sent, sendError = "send_error"
    }

    package init(input: String, status: Status, reason: String? = nil, inputSHA256: String? = nil,
                output: String? = nil, outputSHA256: String? = nil, pixelSHA256: String? = nil,
                frames: [Frame]? = nil, byteExact: Bool? = nil, sent: Bool? = nil, sendError: String? = nil) {
        self.input = input
        self.status = status
        self.reason = reason
        self.inputSHA256 = inputSHA256
        self.output = output
        self.outputSHA256 = outputSHA256
        self.pixelSHA256 = pixelSHA256
        self.frames = frames
        self.byteExact = byteExact
        self.sent = sent
        self.sendError = sendError
    }

    /// Each key with its value as JSON text, in the documented order.
    package func fields(for operation: Operation) -> [(key: String, json: String)] {
        func string(_ value: String?) -> String { value.map(JSONWriter.quoted) ?? "null" }
        var fields = [
            ("input", string(input)), ("status", string(status.rawValue)), ("reason", string(reason)),
            ("input_sha256", string(inputSHA256)), ("output", string(output)),
            ("output_sha256", string(outputSHA256)), ("pixel_sha256", string(pixelSHA256)),
        ]
        switch operation {
        case .protect:
            fields.append(("frames", "[" + (frames ?? []).map(\.json).joined(separator: ",") + "]"))
            fields += [("sent", sent.map { $0 ? "true" : "false" } ?? "null"), ("send_error", string(sendError))]
        case .restore: fields.append(("byte_exact", byteExact.map { $0 ? "true" : "false" } ?? "null"))
        }
        return fields
    }

    /// The record as one line of JSON (no newline).
    package func jsonLine(for operation: Operation) -> String {
        var json = JSONWriter()
        for field in fields(for: operation) { json.key(field.key, raw: field.json) }
        return json.finished
    }

    /// Which runner wrote this record: only protect records carry `frames`.
    package var operation: Operation { frames == nil ? .restore : .protect }

    /// Parses one manifest or journal line.
    package init(jsonLine line: Substring) throws {
        self = try JSONDecoder().decode(ManifestRecord.self, from: Data(line.utf8))
    }
}

extension ManifestRecord.Frame {
    var json: String {
        var json = JSONWriter()
        json.key("key_region", raw: "[" + keyRegion.map(String.init).joined(separator: ",") + "]")
        for (key, value) in [("t", threshold), ("p", p), ("q", q), ("passes", passes),
                             ("payload_bytes", payloadBytes), ("capacity_bits", capacityBits)] {
            json.key(key, raw: String(value))
        }
        if let keyRegionForeground {
            json.key("key_region_foreground", raw: String(format: "%.2f", keyRegionForeground))
        }
        if let textRegions {
            json.key("text_regions", raw: "[" + textRegions.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]")
        }
        return json.finished
    }
}

/// Which runner wrote a manifest; decides the operation-specific keys of its records.
package enum Operation: String, Sendable {
    case protect, restore
}

/// Builds one JSON object, keys in the order they are added.
struct JSONWriter {
    private var body = ""

    mutating func key(_ key: String, string value: String?) {
        self.key(key, raw: value.map(Self.quoted) ?? "null")
    }

    mutating func key(_ key: String, raw value: String) {
        body += (body.isEmpty ? "" : ",") + Self.quoted(key) + ":" + value
    }

    var finished: String { "{" + body + "}" }

    /// A JSON string literal (RFC 8259: quote, backslash and control characters escaped).
    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
