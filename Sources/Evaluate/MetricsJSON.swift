import Foundation
import VeilCore

/// `metrics.json`: `{"images": [...], "skipped": [...]}` with snake_case keys; each image's
/// `psnr_*`/`ssim_*` are on stored values, and repeated under `displayed` on the 8-bit pictures. An infinite PSNR
/// (identical frames) is written as the string "inf", since JSON has no infinity; a sweep point
/// whose payload did not fit has `null` PSNR and SSIM.
enum MetricsJSON {
    static func encode(images: [ImageMetrics], skipped: [SkippedInput]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(Document(images: images, skipped: skipped))
    }

    private struct Document: Encodable {
        var images: [ImageMetrics]
        var skipped: [SkippedInput]
    }
}

extension ImageMetrics: Encodable {
    private enum Key: String, CodingKey {
        case id, input, frame, width, height, bitsStored = "bits_stored", eightBit = "eight_bit"
        case displayed, parameters, payloadBytes = "payload_bytes", capacityBits = "capacity_bits"
        case textureBlocks = "texture_blocks", qrVersion = "qr_version", keyRegionForeground = "key_region_foreground"
        case protectMilliseconds = "protect_ms", restoreMilliseconds = "restore_ms", engineMilliseconds = "engine_ms"
        case sweep = "threshold_sweep", pictures
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode(input, forKey: .input)
        try c.encode(frame, forKey: .frame)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(bitsStored, forKey: .bitsStored)
        try c.encode(eightBit, forKey: .eightBit)
        // The stored-value comparisons are the record's own fields; the displayed ones an object.
        try stored.encode(to: encoder)
        try c.encode(displayed, forKey: .displayed)
        try c.encode(ParametersJSON(parameters), forKey: .parameters)
        try c.encode(payloadBytes, forKey: .payloadBytes)
        try c.encode(capacityBits, forKey: .capacityBits)
        try c.encode(textureBlocks, forKey: .textureBlocks)
        try c.encode(qrVersion, forKey: .qrVersion)
        try c.encode(keyRegionForeground, forKey: .keyRegionForeground)
        try c.encode(protectMilliseconds, forKey: .protectMilliseconds)
        try c.encode(restoreMilliseconds, forKey: .restoreMilliseconds)
        try c.encode(Dictionary(engineTimings.map { ($0.stage, $0.seconds * 1000) }, uniquingKeysWith: +), forKey: .engineMilliseconds)
        try c.encode(sweep, forKey: .sweep)
        try c.encode(Dictionary(uniqueKeysWithValues: Picture.allCases.map { ($0.rawValue, picture($0)) }), forKey: .pictures)
    }
}

extension Comparisons: Encodable {
    private enum Key: String, CodingKey {
        case psnrProtected = "psnr_protected", ssimProtected = "ssim_protected"
        case psnrIntermediate = "psnr_intermediate", ssimIntermediate = "ssim_intermediate"
        case psnrRestored = "psnr_restored", ssimRestored = "ssim_restored"
        case psnrUnauthorized = "psnr_unauthorized_key_region", ssimUnauthorized = "ssim_unauthorized_key_region"
        case psnrAuthorized = "psnr_authorized_key_region", ssimAuthorized = "ssim_authorized_key_region"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (quality, psnr, ssim) in [(protected, Key.psnrProtected, Key.ssimProtected),
                                      (intermediate, .psnrIntermediate, .ssimIntermediate),
                                      (restored, .psnrRestored, .ssimRestored),
                                      (unauthorizedKeyRegion, .psnrUnauthorized, .ssimUnauthorized),
                                      (authorizedKeyRegion, .psnrAuthorized, .ssimAuthorized)] {
            try c.encode(quality.psnr, forKey: psnr)
            try c.encode(quality.ssim, forKey: ssim)
        }
    }
}

/// `{"key_region": {x, y, width, height}, "t", "p", "q", "passes", "scramble"}`.
private struct ParametersJSON: Encodable {
    var keyRegion: Region
    var t, p, q, passes: Int
    var scramble: String

    init(_ parameters: EmbeddingParameters) {
        keyRegion = parameters.keyRegion
        t = parameters.threshold
        p = parameters.range.p
        q = parameters.range.q
        passes = parameters.passes
        scramble = "\(parameters.scramble)"
    }

    private enum CodingKeys: String, CodingKey {
        case keyRegion = "key_region", t, p, q, passes, scramble
    }
}

extension SweepPoint: Encodable {
    private enum Key: String, CodingKey {
        case t, psnr, ssim, p, q, passes, textureBlocks = "texture_blocks", failure
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(threshold, forKey: .t)
        // Explicit nulls: a missing point is a finding, not an omission.
        try c.encode(fit?.quality.psnr, forKey: .psnr)
        try c.encode(fit?.quality.ssim, forKey: .ssim)
        if let fit {
            try c.encode(fit.range.p, forKey: .p)
            try c.encode(fit.range.q, forKey: .q)
            try c.encode(fit.passes, forKey: .passes)
            try c.encode(fit.textureBlocks, forKey: .textureBlocks)
        }
        try c.encodeIfPresent(failure, forKey: .failure)
    }
}
