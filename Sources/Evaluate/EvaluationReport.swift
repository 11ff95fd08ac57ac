import Foundation

/// One evaluation run: every input evaluated in turn, its pictures written as it goes, then
/// `metrics.json`, `metrics.csv` and `index.html` written into the report directory.
package struct EvaluationReport: Sendable {
    package private(set) var images: [ImageMetrics] = []
    package private(set) var skipped: [SkippedInput] = []

    /// Evaluates `inputs` (files or directories) into `directory`, reporting each file to `progress`.
    package static func run(_ inputs: [String], evaluator: Evaluator, settings: EvaluationSettings, into directory: String,
                           progress: (String) -> Void = { _ in }) throws -> EvaluationReport {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var report = EvaluationReport()
        for (ordinal, path) in InputFiles.expand(inputs).enumerated() {
            progress(path)
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? String($0) : "_" }.joined()
            do {
                try evaluator.evaluate(path, id: { String(format: "%03d-", ordinal + 1) + stem + "-f\($0)" }) { metrics, views in
                    try Pictures.write(views, of: metrics, to: directory)
                    report.images.append(metrics)
                }
            } catch {
                report.skipped.append(SkippedInput(input: path, reason: "\(error)"))
            }
        }
        try MetricsJSON.encode(images: report.images, skipped: report.skipped).write(to: URL(fileURLWithPath: directory + "/metrics.json"))
        try Data(MetricsCSV.encode(report.images).utf8).write(to: URL(fileURLWithPath: directory + "/metrics.csv"))
        let html = HTMLReport(images: report.images, skipped: report.skipped, settings: settings).html
        try Data(html.utf8).write(to: URL(fileURLWithPath: directory + "/index.html"))
        return report
    }
}
