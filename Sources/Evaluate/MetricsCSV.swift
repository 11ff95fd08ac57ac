import Foundation

/// `metrics.csv`: one row per frame, the fields of `metrics.json` with the displayed metrics
/// (`displayed_…`), the parameters and the threshold sweep flattened into columns (`psnr_t5`, `ssim_t5`, …). Infinite PSNR is "inf";
/// a sweep point whose payload did not fit is left empty.
enum MetricsCSV {
    static func encode(_ images: [ImageMetrics]) -> String {
        let thresholds = images.first?.sweep.map(\.threshold) ?? []
        let header = ["input", "frame", "width", "height", "bits_stored", "eight_bit",
                      "psnr_protected", "ssim_protected", "psnr_intermediate", "ssim_intermediate",
                      "psnr_restored", "ssim_restored", "psnr_unauthorized_key_region", "ssim_unauthorized_key_region",
                      "psnr_authorized_key_region", "ssim_authorized_key_region",
                      "displayed_psnr_protected", "displayed_ssim_protected", "displayed_psnr_intermediate",
                      "displayed_ssim_intermediate", "displayed_psnr_restored", "displayed_ssim_restored",
                      "displayed_psnr_unauthorized_key_region", "displayed_ssim_unauthorized_key_region",
                      "displayed_psnr_authorized_key_region", "displayed_ssim_authorized_key_region",
                      "key_region_x", "key_region_y", "key_region_side", "t", "p", "q", "passes",
                      "payload_bytes", "capacity_bits", "texture_blocks", "qr_version", "protect_ms", "restore_ms", "key_region_foreground"]
            + thresholds.flatMap { ["psnr_t\($0)", "ssim_t\($0)"] }
        let rows = images.map(row)
        return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func row(_ image: ImageMetrics) -> [String] {
        let p = image.parameters
        let description: [String] = [field(image.input), "\(image.frame)", "\(image.width)", "\(image.height)",
                                     "\(image.bitsStored)", "\(image.eightBit)"]
        let measured: [String] = [image.stored, image.displayed].flatMap { comparisons in
            [comparisons.protected, comparisons.intermediate, comparisons.restored,
             comparisons.unauthorizedKeyRegion, comparisons.authorizedKeyRegion].flatMap { [number($0.psnr), number($0.ssim)] }
        }
        let parameters: [String] = [p.keyRegion.x, p.keyRegion.y, p.keyRegion.width, p.threshold, p.range.p, p.range.q,
                                    p.passes, image.payloadBytes, image.capacityBits, image.textureBlocks, image.qrVersion]
            .map { "\($0)" }
        let timings: [String] = [number(image.protectMilliseconds), number(image.restoreMilliseconds), number(image.keyRegionForeground)]
        let sweep: [String] = image.sweep.flatMap { point -> [String] in
            guard let fit = point.fit else { return ["", ""] }
            return [number(fit.quality.psnr), number(fit.quality.ssim)]
        }
        return description + measured + parameters + timings + sweep
    }

    private static func number(_ value: Double) -> String {
        value == .infinity ? "inf" : "\(value)"
    }

    /// RFC 4180 quoting, for paths with commas or quotes.
    private static func field(_ text: String) -> String {
        text.contains(where: { ",\"\n".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
