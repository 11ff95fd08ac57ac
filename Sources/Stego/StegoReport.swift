import VeilFileSystem
import Foundation
import VeilCore
import VeilDICOM
import VeilImageIO

/// The evaluation page of one hiding, as the paper presents its results: the histograms of the original
/// secret image, of its encrypted form and of the recovered image (Figures 4 and 9), the cover and stego
/// pictures (Figures 5 and 6), and how far the stego image is from the cover (PSNR, SSIM).
///
/// The hider has no private key, so the "recovered" image is the secret extracted from the encoded stego
/// image and opened with the content key in memory (the self-check of `Steganography.hide`): everything
/// but the RSA unwrapping, which `reveal` adds.
package struct StegoReport {
    /// Cover vs stego over every sample of every frame, peak 2^BitsStored − 1.
    package let psnr: Double
    /// Mean SSIM over every frame and colour component.
    package let ssim: Double
    /// The page and its pictures, by file name.
    let files: [(name: String, bytes: [UInt8])]

    package init(secret: [UInt8], secretName: String, cover: CoverImage, hidden: Steganography.Hidden,
                order: EmbeddingOrder) throws(StegoError) {
        let original = Raster(cover), stego = Raster(hidden.stego)
        psnr = Metrics.psnr(Self.stacked(original.planes), Self.stacked(stego.planes))
        let pairs = zip(original.planes, stego.planes)
        ssim = pairs.map { Metrics.ssim($0, $1) }.reduce(0, +) / Double(original.planes.count)

        let secretImage = Raster(dicom: secret, name: secretName)
        let recoveredImage = Raster(dicom: hidden.recovered, name: secretName)
        let histograms = [
            Histogram("Original secret " + (secretImage == nil ? "(file bytes)" : "image"),
                      values: secretImage?.allSamples ?? secret.map(Int32.init)),
            Histogram("Encrypted (sealed payload bytes)", values: hidden.sealed.map(Int32.init)),
            Histogram("Recovered secret " + (recoveredImage == nil ? "(file bytes)" : "image"),
                      values: recoveredImage?.allSamples ?? hidden.recovered.map(Int32.init)),
        ]
        var pictures: [(name: String, caption: String, bytes: [UInt8])] = []
        do {
            pictures.append(("cover.png", "Cover", try original.picture()))
            pictures.append(("stego.png", "Stego image", try stego.picture()))
            pictures.append(("changes.png", "Samples changed (white), first frame", try stego.differences(from: original)))
            if let secretImage { pictures.append(("secret.png", "Secret image, first frame", try secretImage.picture())) }
            pictures.append(("encrypted.png", "Encrypted payload as an 8-bit image", try Self.picture(of: hidden.sealed)))
            if let recoveredImage { pictures.append(("recovered.png", "Recovered image, first frame", try recoveredImage.picture())) }
        } catch {
            throw .internalFailure(path: cover.path, reason: "cannot draw the report's pictures: \(error)")
        }

        let rows: [(String, String)] = [
            ("Cover", "\(cover.path): \(cover.sampleCount) samples"),
            ("Secret", "\(secretName): \(secret.count) bytes"),
            ("Compressed (LZMA)", "\(hidden.compressedByteCount) bytes"),
            ("Sealed (AES-256-GCM)", "\(hidden.sealed.count) bytes"),
            ("Header", "\(hidden.headerByteCount) bytes"),
            ("Samples used", "\(hidden.usedSamples) of \(cover.sampleCount) (\(Self.percent(hidden.usedSamples, cover.sampleCount)))"),
            ("Samples changed", "\(hidden.changedSamples) (\(Self.percent(hidden.changedSamples, hidden.usedSamples)) of those used)"),
            ("Order", order.rawValue),
            ("PSNR cover → stego", psnr.isFinite ? String(format: "%.2f dB", psnr) : "∞ (identical)"),
            ("SSIM cover → stego", String(format: "%.6f", ssim)),
            ("Recovered = secret", hidden.recovered == secret ? "yes, byte for byte" : "NO"),
        ]
        let html = Self.page(rows: rows, histograms: histograms, pictures: pictures)
        files = [("index.html", Array(html.utf8))] + pictures.map { ($0.name, $0.bytes) }
    }

    /// Writes the page and its pictures into `directory`, created if missing, each file atomically.
    package func write(to directory: String) throws(StegoError) {
        do {
            try FileSystem.makeDirectories(directory)
            for (name, bytes) in files { try AtomicFile.write(bytes, to: directory.appending(name)) }
        } catch {
            throw .file(error)
        }
    }

    /// All planes one above the other, so one PSNR covers every sample.
    private static func stacked(_ planes: [Frame]) -> Frame {
        Frame(width: planes[0].width, height: planes.map(\.height).reduce(0, +), format: planes[0].format,
              samples: planes.flatMap(\.samples))
    }

    /// Bytes as a square grey picture (padded with black), as the paper shows its encrypted image.
    private static func picture(of bytes: [UInt8]) throws -> [UInt8] {
        let side = Int(Double(bytes.count).squareRoot().rounded(.up))
        return try PNG.write(gray8: bytes + [UInt8](repeating: 0, count: side * side - bytes.count), width: side, height: side)
    }

    private static func percent(_ part: Int, _ whole: Int) -> String {
        String(format: "%.1f %%", 100 * Double(part) / Double(max(whole, 1)))
    }

    private static func page(rows: [(String, String)], histograms: [Histogram],
                             pictures: [(name: String, caption: String, bytes: [UInt8])]) -> String {
        let table = rows.map { "<tr><th>\(escaped($0))</th><td>\(escaped($1))</td></tr>" }.joined(separator: "\n")
        let charts = histograms.map { "<figure>\($0.svg)<figcaption>\(escaped($0.title))</figcaption></figure>" }
            .joined(separator: "\n")
        let images = pictures.map {
            "<figure><img src=\"data:image/png;base64,\(Data($0.bytes).base64EncodedString())\" alt=\"\(escaped($0.caption))\">"
                + "<figcaption>\(escaped($0.caption))</figcaption></figure>"
        }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>dcmveil stego report</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; } th, td { text-align: left; padding: 0.2em 1em 0.2em 0; }
        figure { display: inline-block; margin: 0 1.5em 1.5em 0; vertical-align: top; }
        img { max-width: 420px; image-rendering: pixelated; border: 1px solid #ccc; }
        </style></head><body>
        <h1>Steganography report</h1>
        <table>
        \(table)
        </table>
        <h2>Histograms</h2>
        \(charts)
        <p>The recovered image is the secret extracted from the written stego image and opened in memory
        with the content key (the hider holds no private key); reveal adds only the RSA-OAEP unwrapping.</p>
        <h2>Pictures</h2>
        \(images)
        </body></html>

        """
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
