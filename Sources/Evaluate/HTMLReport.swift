import Foundation

/// `index.html`: one self-contained page (inline CSS and SVG, pictures as PNG files beside it)
/// that sets each frame's pictures and measurements next to the paper's.
struct HTMLReport {
    var images: [ImageMetrics]
    var skipped: [SkippedInput]
    var settings: EvaluationSettings

    var html: String {
        var page = [head, "<body>", "<h1>dcmveil evaluation</h1>", overview, howToRead, summary]
        page += images.map(section)
        if !skipped.isEmpty {
            page.append("<h2>Not evaluated</h2><ul>" + skipped.map {
                "<li><code>\($0.input.xmlEscaped)</code>: \($0.reason.xmlEscaped)</li>"
            }.joined() + "</ul>")
        }
        page.append("</body></html>")
        return page.joined(separator: "\n")
    }

    private var head: String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>dcmveil evaluation</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1320px; color: #222; line-height: 1.45; }
        h1 { margin-bottom: 4px; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 40px; }
        .meta { color: #555; } .howto { background: #f6f6f2; padding: 8px 18px; border-left: 4px solid #b8a46a; }
        table { border-collapse: collapse; margin: 12px 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
        th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
        tr.paper td { color: #555; font-style: italic; }
        .out { color: #b03a2e; font-weight: bold; }
        .pictures { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; } figcaption { font-size: 13px; color: #444; max-width: 310px; }
        .pictures img { width: 310px; height: auto; background: #000; image-rendering: pixelated; border: 1px solid #999; }
        .pictures.key img { width: 240px; }
        .plots { display: flex; flex-wrap: wrap; gap: 14px; } .finding { font-style: italic; }
        code { font-size: 13px; }
        </style></head>
        """
    }

    private var overview: String {
        let inputs = Set(images.map(\.input)).count
        let depth = settings.eightBit ? "each frame windowed to 8 bits first (the paper's setting)" : "the engine at each file's stored bit depth"
        return #"<p class="meta">\#(images.count) frame(s) from \#(inputs) instance(s); \#(depth); "#
            + #"\#(settings.keyDescription.xmlEscaped); \#(settings.generated.xmlEscaped). Data: "#
            + #"<a href="metrics.json">metrics.json</a>, <a href="metrics.csv">metrics.csv</a>.</p>"#
    }

    private var howToRead: String {
        """
        <div class="howto"><h2>How to read this</h2>
        <p>Each frame is shown as the original, as <b>protected</b> (texture scrambled with the hidden payload, QR code in the
        key region: what the file holds and anyone can see), as the <b>authorized intermediate</b> (the key holder's view after
        unscrambling and extracting the payload, QR still in place: the paper's Figs. 5c/6c) and <b>restored</b> (the protected
        file through <code>restore</code>, the product's own path). The key-region row is the paper's Figs. 7–8: the original
        region, what someone <b>without the key</b> has there (the QR code: the region's pixels travel only inside the AES-GCM
        payload, so a wrong key yields an error, not a noisy picture) and what the <b>key holder</b> gets back.
        PSNR and SSIM are those of the paper (SSIM: Wang et al., 11×11 Gaussian window, σ = 1.5), next to its published
        ranges (SPEC §7); a value outside the range is <span class="out">marked</span>.</p>
        <p>Differences from the paper. (1) <b>Bit depth.</b> The paper measured 8-bit pictures. Each comparison is given
        twice: on the <b>stored values</b> the engine works on (peak 2<sup>bits</sup>−1), and <b>as displayed</b>, on the
        8-bit pictures rendered through the image's display window (the pictures shown here). For 12–16-bit data the
        stored-value figures are not comparable with the paper's: the content spans a small part of the 2<sup>bits</sup>
        range, so PSNR comes out high and SSIM near 1 even for the QR block. Run with <code>--eight-bit</code> to window
        each frame to 8 bits <i>before</i> protection, as the paper's images were; both columns then agree. (2) <b>Threshold.</b> T is in 8-bit units and scaled by
        (2<sup>bits−8</sup>)² for deeper data; the sweep fixes T and lets the capacity planner pick the expansion range and
        passes ([−2, 2] and one pass, the paper's, whenever they fit), so where the paper's parameters do not fit at some T the
        sweep shows the cost of what does; each plot says whether it rises with T as the paper's do. (3) <b>Images.</b> The
        paper's ranges come from three hand-picked 512×512 TCIA CT slices; ours from the inputs given. (4) <b>Timings</b> are
        the whole instance through <code>protect</code> (QR read-back and an in-memory restore included) and
        <code>restore</code>, shared among its frames.</p></div>
        """
    }

    private var summary: String {
        guard !images.isEmpty else { return "<p>No frame was evaluated.</p>" }
        var rows = ["<h2>Summary</h2><p>PSNR / SSIM of the pictures as displayed (8 bits through the display window, "
                    + "the paper's setting); each section also gives them on stored values.</p>"
                    + "<table><tr><th>image</th><th>bits</th><th>protected</th><th>intermediate</th>"
                    + "<th>unauthorized key region</th><th>restored</th><th>T, [p, q], passes</th></tr>"]
        for image in images {
            let p = image.parameters
            rows.append(##"<tr><td><a href="#\##(image.id)">\##(title(image).xmlEscaped)</a></td><td>\##(image.bitsStored)</td>"##
                        + cells(image.displayed.protected, .protected) + cells(image.displayed.intermediate, .intermediate)
                        + cells(image.displayed.unauthorizedKeyRegion, .unauthorizedKeyRegion)
                        + cells(image.displayed.restored, .lossless)
                        + "<td>\(p.threshold), \(p.range), \(p.passes)</td></tr>")
        }
        rows.append(#"<tr class="paper"><td>paper (BIBM 2019)</td><td>8</td>"#
                    + [PaperFigure.protected, .intermediate, .unauthorizedKeyRegion, .lossless]
            .map { "<td>\($0.psnrText) / \($0.ssimText)</td>" }.joined() + "<td>5…50, [−2, 2], 1</td></tr></table>")
        return rows.joined(separator: "\n")
    }

    /// PSNR and SSIM in one cell ("a / b") or two, each marked when outside the paper's range.
    private func cells(_ quality: Quality, _ paper: PaperFigure, separate: Bool = false) -> String {
        let psnr = mark(decibels(quality.psnr), paper.psnr.contains(quality.psnr))
        let ssim = mark(fraction(quality.ssim), paper.ssim.contains(quality.ssim))
        return separate ? "<td>\(psnr)</td><td>\(ssim)</td>" : "<td>\(psnr) / \(ssim)</td>"
    }

    private func section(_ image: ImageMetrics) -> String {
        let p = image.parameters
        let figures = { (pictures: [Picture]) in
            pictures.map { #"<figure><img src="\#(image.picture($0))" alt="\#($0.caption)"><figcaption>\#($0.caption)</figcaption></figure>"# }.joined()
        }
        let rows: [(String, KeyPath<Comparisons, Quality>, PaperFigure)] = [
            ("Protected vs original", \.protected, .protected),
            ("Authorized intermediate vs original", \.intermediate, .intermediate),
            ("Unauthorized key region (QR) vs original key region", \.unauthorizedKeyRegion, .unauthorizedKeyRegion),
            ("Authorized key region vs original key region", \.authorizedKeyRegion, .lossless),
            ("Restored vs original", \.restored, .lossless),
        ]
        let table = [#"<table><tr><th rowspan="2">comparison</th><th colspan="2">stored values (\#(image.bitsStored) bits)</th>"#
                     + #"<th colspan="2">as displayed (8 bits)</th><th colspan="2">paper</th></tr>"#
                     + "<tr>" + String(repeating: "<th>PSNR</th><th>SSIM</th>", count: 3) + "</tr>"]
            + rows.map { name, comparison, paper in
                "<tr><td>\(name)</td>" + cells(image.stored[keyPath: comparison], paper, separate: true)
                    + cells(image.displayed[keyPath: comparison], paper, separate: true)
                    + #"<td class="paper">\#(paper.psnrText)</td><td class="paper">\#(paper.ssimText)</td></tr>"#
            } + ["</table>"]
        let sweepPoints = image.sweep.map { (x: Double($0.threshold), psnr: $0.fit?.quality.psnr, ssim: $0.fit?.quality.ssim) }
        let psnrPlot = SVGPlot(title: "PSNR of the protected frame", xLabel: "threshold T (8-bit units)", yLabel: "PSNR (dB)",
                               points: sweepPoints.map { ($0.x, $0.psnr) }, minimumSpan: 2)
        let ssimPlot = SVGPlot(title: "SSIM of the protected frame", xLabel: "threshold T (8-bit units)", yLabel: "SSIM",
                               points: sweepPoints.map { ($0.x, $0.ssim) }, minimumSpan: 0.05)
        return """
        <section id="\(image.id)">
        <h2>\(title(image).xmlEscaped)</h2>
        <p>\(image.width)×\(image.height), \(image.bitsStored) bits\(image.eightBit ? " (windowed to 8 bits)" : "");
        key region \(p.keyRegion.width)×\(p.keyRegion.height) at (\(p.keyRegion.x), \(p.keyRegion.y)); T = \(p.threshold),
        range \(p.range), \(p.passes) pass(es), \(image.textureBlocks) texture blocks; payload \(image.payloadBytes) bytes
        (\(image.payloadBytes * 8) of \(image.capacityBits) bits of capacity); QR version \(image.qrVersion); key region \(Int((image.keyRegionForeground * 100).rounded())) % on the anatomy;
        protect \(milliseconds(image.protectMilliseconds)), restore \(milliseconds(image.restoreMilliseconds)).</p>
        <div class="pictures">\(figures([.original, .protected, .intermediate, .restored]))</div>
        <div class="pictures key">\(figures([.keyOriginal, .keyUnauthorized, .keyAuthorized]))</div>
        \(table.joined(separator: "\n"))
        <h3>Threshold sweep (paper Figs. 9–11)</h3>
        <div class="plots">\(psnrPlot.svg)\n\(ssimPlot.svg)</div>
        <p class="finding">\(SweepFinding(image.sweep).description.xmlEscaped)</p>
        \(sweepTable(image.sweep))
        </section>
        """
    }

    private func sweepTable(_ sweep: [SweepPoint]) -> String {
        let rows = sweep.map { point in
            guard let fit = point.fit else {
                return #"<tr><td>\#(point.threshold)</td><td colspan="5">did not fit: \#((point.failure ?? "").xmlEscaped)</td></tr>"#
            }
            return "<tr><td>\(point.threshold)</td><td>\(decibels(fit.quality.psnr))</td><td>\(fraction(fit.quality.ssim))</td>"
                + "<td>\(fit.range)</td><td>\(fit.passes)</td><td>\(fit.textureBlocks)</td></tr>"
        }
        return "<details><summary>Sweep values</summary><table><tr><th>T</th><th>PSNR</th><th>SSIM</th><th>[p, q]</th>"
            + "<th>passes</th><th>texture blocks</th></tr>" + rows.joined() + "</table></details>"
    }

    private func title(_ image: ImageMetrics) -> String { "\(image.input), frame \(image.frame)" }
    private func mark(_ text: String, _ inRange: Bool) -> String { inRange ? text : #"<span class="out">\#(text)</span>"# }
    private func decibels(_ value: Double) -> String { value == .infinity ? "∞" : String(format: "%.2f dB", value) }
    private func fraction(_ value: Double) -> String { value == 1 ? "1" : String(format: "%.4f", value) }
    private func milliseconds(_ value: Double) -> String { String(format: "%.0f ms", value) }
}

/// How the evaluation was run, for the report's header line.
package struct EvaluationSettings: Sendable {
    package var eightBit: Bool
    /// e.g. "throwaway RSA-2048 key" or the certificate's subject.
    package var keyDescription: String
    package var generated: String

    package init(eightBit: Bool, keyDescription: String, generated: String) {
        self.eightBit = eightBit
        self.keyDescription = keyDescription
        self.generated = generated
    }
}
