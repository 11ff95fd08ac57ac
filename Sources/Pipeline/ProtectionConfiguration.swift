import Foundation
import VeilFileSystem

/// Everything `protect` can be told, from a JSON file (`--config`); every key is optional and
/// missing keys take the defaults below. `config/dcmveil.json` documents each one.
package struct ProtectionConfiguration: Sendable, Codable, Equatable {
    package var deidentification = Deidentification()
    package var qr = QR()
    package var engine = Engine()
    package var textRegions = TextRegionSettings()

    package struct Deidentification: Sendable, Codable, Equatable {
        /// PS3.15 options on top of the Basic Profile, by name (e.g. "retainLongitudinalFullDates").
        package var options: [String] = []
        /// Private creators whose blocks are kept; all other private attributes are removed.
        package var keepPrivateCreators: [String] = []
        /// File holding the site secret for UID replacement. Unset: a secret is created in the
        /// output directory's state on the first run and reused after.
        package var siteSecretFile: String?
        /// Per-attribute actions on top of the profile and its options, by keyword ("PatientAge"),
        /// tag ("(0010,1010)") or private element ("(0019,xx0C) SIEMENS MR HEADER").
        package var overrides: [String: AttributeOverride] = [:]

        package init() {}

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            options = try c.decodeIfPresent([String].self, forKey: .options) ?? []
            keepPrivateCreators = try c.decodeIfPresent([String].self, forKey: .keepPrivateCreators) ?? []
            siteSecretFile = try c.decodeIfPresent(String.self, forKey: .siteSecretFile)
            overrides = try c.decodeIfPresent([String: AttributeOverride].self, forKey: .overrides) ?? [:]
        }
    }

    package struct QR: Sendable, Codable, Equatable {
        /// "deidentified" (default: `fields` read from the de-identified header) or "paper" (the
        /// source paper's fields, read from the original attributes: identifying).
        package var preset: String = "deidentified"
        /// The human-readable lines, in order (nil: the preset's).
        package var fields: [BasicInformationField]?
        /// Read `fields` from the original attributes instead of the de-identified header
        /// (identifying: the protected image then declares that patient identity is not removed).
        package var fromOriginal: Bool?

        package init() {}

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            preset = try c.decodeIfPresent(String.self, forKey: .preset) ?? "deidentified"
            fields = try c.decodeIfPresent([BasicInformationField].self, forKey: .fields)
            fromOriginal = try c.decodeIfPresent(Bool.self, forKey: .fromOriginal)
        }

        /// The lines' fields after the preset.
        package var effectiveFields: [BasicInformationField] {
            fields ?? (preset == "paper" ? BasicInformationField.paper : BasicInformationField.defaults)
        }

        /// Whether the lines come from the original attributes (and so may identify the patient).
        package var readsOriginal: Bool { fromOriginal ?? (preset == "paper") }
    }

    package struct Engine: Sendable, Codable, Equatable {
        /// Side of the key region in pixels; unset: 160 for 512×512, scaled with the frame.
        package var keyRegionSide: Int?
        /// Distance between key-region candidates; unset: a quarter of the side (a multiple of 8).
        package var keyRegionStride: Int?
        /// "permutation" (keyed, 64! arrangements per 8×8 block) or "arnold" (the paper's cat map,
        /// 6 arrangements per block: undone by trying them all, so it hides nothing from an attacker).
        package var scramble: String = "permutation"
        /// Texture thresholds T to try, in 8-bit units, preferred first.
        package var thresholds: [Int]?
        /// Key regions named by a clinician: input path (as given, or relative to an input
        /// directory) → [x, y, side].
        package var keyRegions: [String: [Int]] = [:]

        package init() {}

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            keyRegionSide = try c.decodeIfPresent(Int.self, forKey: .keyRegionSide)
            keyRegionStride = try c.decodeIfPresent(Int.self, forKey: .keyRegionStride)
            scramble = try c.decodeIfPresent(String.self, forKey: .scramble) ?? "permutation"
            thresholds = try c.decodeIfPresent([Int].self, forKey: .thresholds)
            keyRegions = try c.decodeIfPresent([String: [Int]].self, forKey: .keyRegions) ?? [:]
        }
    }

    package init() {}

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deidentification = try container.decodeIfPresent(Deidentification.self, forKey: .deidentification) ?? .init()
        qr = try container.decodeIfPresent(QR.self, forKey: .qr) ?? .init()
        engine = try container.decodeIfPresent(Engine.self, forKey: .engine) ?? .init()
        textRegions = try container.decodeIfPresent(TextRegionSettings.self, forKey: .textRegions) ?? .init()
    }

    /// Reads and checks a configuration file; errors name the file and the key at fault.
    package static func load(_ path: String) throws(ProtectionError) -> ProtectionConfiguration {
        let data: Data
        do {
            data = Data(try FileSystem.read(path, limit: 16 << 20))
        } catch {
            throw .configuration(error.description)
        }
        let configuration: ProtectionConfiguration
        do {
            configuration = try JSONDecoder().decode(ProtectionConfiguration.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .configuration("\(path): \(key.isEmpty ? "" : key + ": ")\(context.debugDescription)")
        } catch {
            throw .configuration("\(path): \(error)")
        }
        try configuration.validate(source: path)
        return configuration
    }

    package func validate(source: String = "configuration") throws(ProtectionError) {
        for name in deidentification.options where DeidentificationOption(rawValue: name) == nil {
            let known = DeidentificationOption.allCases.map(\.rawValue).joined(separator: ", ")
            throw .configuration("\(source): unknown de-identification option \"\(name)\" (known: \(known))")
        }
        do {
            _ = try Overrides(deidentification.overrides)
        } catch let .configuration(message) {
            throw .configuration("\(source): \(message)")
        }
        guard ["deidentified", "paper"].contains(qr.preset) else {
            throw .configuration("\(source): qr.preset must be \"deidentified\" or \"paper\", not \"\(qr.preset)\"")
        }
        guard ["arnold", "permutation"].contains(engine.scramble) else {
            throw .configuration("\(source): engine.scramble must be \"arnold\" or \"permutation\", not \"\(engine.scramble)\"")
        }
        if let side = engine.keyRegionSide, side < QRLayout.minimumKeyRegionSide {
            throw .configuration("\(source): engine.keyRegionSide \(side) is too small for a readable QR code (at least \(QRLayout.minimumKeyRegionSide))")
        }
        try textRegions.validate(source: source)
        for (file, region) in engine.keyRegions where region.count != 3 || region.contains(where: { $0 < 0 }) {
            throw .configuration("\(source): engine.keyRegions[\"\(file)\"] must be [x, y, side] with non-negative numbers")
        }
    }

    var deidentificationOptions: Set<DeidentificationOption> {
        Set(deidentification.options.compactMap(DeidentificationOption.init(rawValue:)))
    }
}
