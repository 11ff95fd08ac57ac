import Foundation
import VeilCore
import VeilCrypto
import VeilDICOM
import VeilPipeline

/// Runs the paper's experiments on one DICOM instance at a time.
///
/// Each instance goes through the product's own path once — `protect` to file bytes, `restore`
/// from them — for the timings and the restored frames: "restored ∞ / 1" is then a claim about
/// what the key holder really gets back. Each frame is then protected on its own
/// (`InstanceProtector.protectFrame`) for the views the file does not keep (the authorized
/// intermediate, the display window, the engine's report), and once more per threshold of the sweep.
package struct Evaluator: Sendable {
    package let recipient: Certificate
    package let key: PrivateKey
    package let configuration: ProtectionConfiguration
    /// Window every frame to 8 bits before protecting it, as the paper's CT images were.
    package let eightBit: Bool
    /// The paper's sweep: T = 5, 10, …, 50 in 8-bit units.
    package let thresholds: [Int]
    private let siteSecret: [UInt8]

    package init(recipient: Certificate, key: PrivateKey, configuration: ProtectionConfiguration = ProtectionConfiguration(),
                eightBit: Bool = false, thresholds: [Int] = Array(stride(from: 5, through: 50, by: 5))) {
        self.recipient = recipient
        self.key = key
        self.configuration = configuration
        self.eightBit = eightBit
        self.thresholds = thresholds
        // The site secret only seeds replacement UIDs, which an evaluation throws away.
        var generator = SystemRandomNumberGenerator()
        siteSecret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Why an instance was not evaluated.
    package struct Skip: Error, CustomStringConvertible {
        package var description: String
    }

    /// Evaluates every frame of the instance at `path`, handing each frame's metrics and views
    /// to `frameDone` as soon as they are ready. `id(frame)` names a frame's pictures.
    package func evaluate(_ path: String, id: (Int) -> String,
                         frameDone: (ImageMetrics, FrameViews) throws -> Void) throws {
        let read = try DicomFile.read(path)
        let file = eightBit ? try EightBit.windowed(read) : read
        let protector = InstanceProtector(recipient: recipient, configuration: configuration, siteSecret: siteSecret)

        let (protected, protectTime) = try timed { try protector.protect(file) }
        if let reason = protected.report.headerOnlyReason { throw Skip(description: reason) }
        let protectedFile = try DicomFile(bytes: protected.fileBytes, name: "\(path) (protected)")
        let (restored, restoreTime) = try timed { try InstanceRestorer(key: key).restore(protectedFile) }
        let restoredFile = try DicomFile(bytes: restored.fileBytes, name: "\(path) (restored)")

        let frames = file.frameCount
        for index in 0..<frames {
            let pixels = try file.frame(index)
            let result = try protector.protectFrame(pixels, index: index, original: file.dataSet)
            let views = FrameViews(original: result.original, protected: result.marked, intermediate: result.intermediate,
                                   restored: Frame(try restoredFile.frame(index)), keyRegion: result.report.keyRegion,
                                   window: result.window)
            let metrics = ImageMetrics(
                id: id(index + 1), input: path, frame: index + 1, width: pixels.geometry.columns, height: pixels.geometry.rows,
                bitsStored: result.original.format.bitsStored, eightBit: eightBit,
                stored: Comparisons(views), displayed: Comparisons(views, transform: views.displayed),
                parameters: result.report.parameters, payloadBytes: result.report.payloadBytes,
                capacityBits: result.report.capacityBits, textureBlocks: result.engineReport.textureBlocks,
                qrVersion: result.report.qrVersion,
                protectMilliseconds: protectTime * 1000 / Double(frames),
                restoreMilliseconds: restoreTime * 1000 / Double(frames),
                engineTimings: result.engineReport.timings,
                sweep: sweep(pixels, index: index, original: file.dataSet))
            var measured = metrics
            measured.keyRegionForeground = result.report.keyRegionForeground
            try frameDone(measured, views)
        }
    }

    /// The frame protected with each threshold alone; the planner still picks range and passes.
    func sweep(_ pixels: PixelFrame, index: Int, original: DataSet) -> [SweepPoint] {
        thresholds.map { threshold in
            var fixed = configuration
            fixed.engine.thresholds = [threshold]
            let protector = InstanceProtector(recipient: recipient, configuration: fixed, siteSecret: siteSecret)
            do {
                let result = try protector.protectFrame(pixels, index: index, original: original)
                let fit = SweepPoint.Fit(quality: Quality(result.marked, against: result.original),
                                         range: result.report.parameters.range, passes: result.report.parameters.passes,
                                         textureBlocks: result.engineReport.textureBlocks)
                return SweepPoint(threshold: threshold, fit: fit)
            } catch {
                return SweepPoint(threshold: threshold, failure: "\(error)")
            }
        }
    }

    private func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        let elapsed = start.duration(to: clock.now).components
        return (value, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
    }
}

/// The frames of one evaluation that the pictures are rendered from.
package struct FrameViews: Sendable {
    package var original: Frame
    package var protected: Frame
    package var intermediate: Frame
    package var restored: Frame
    package var keyRegion: Region
    /// The display window the QR was drawn in: every picture is rendered through it.
    package var window: DisplayWindow

    /// `frame` as the 8-bit grey picture a viewer shows through the window.
    func displayed(_ frame: Frame) -> Frame {
        Frame(width: frame.width, height: frame.height, format: SampleFormat(bitsStored: 8, isSigned: false),
              samples: window.render(frame).map(Int32.init))
    }
}

extension Frame {
    /// The engine's view of a decoded grayscale frame: its stored values.
    init(_ pixels: PixelFrame) {
        self.init(width: pixels.geometry.columns, height: pixels.geometry.rows,
                  format: SampleFormat(bitsStored: pixels.geometry.bitsStored, isSigned: pixels.geometry.isSigned),
                  samples: pixels.samples)
    }
}
