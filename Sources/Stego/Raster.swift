import VeilCore
import VeilDICOM
import VeilImageIO

/// An image's stored sample values, frame by frame with colour components interleaved, and how to show
/// them: what the report measures, counts and draws. Built from cover and stego images and from the
/// secret DICOM file.
struct Raster {
    let width: Int
    let height: Int
    let channels: Int
    let format: SampleFormat
    let frames: [[Int32]]
    /// The stored values drawn black and white (the DICOM window when there is one).
    let displayRange: ClosedRange<Double>
    /// MONOCHROME1: high values are dark.
    let inverted: Bool

    init(_ image: CoverImage) {
        switch image.format {
        case .dicom(_, let geometry):
            let frames = (0..<geometry.frames).map { index in
                let words = Array(image.plane.bytes[(index * geometry.bytesPerFrame)..<((index + 1) * geometry.bytesPerFrame)])
                return PixelFrame(geometry: geometry, bytes: words).samples
            }
            self.init(geometry, frames: frames)
        case .png(let width, let height, let bitDepth, let channels):
            let samples = bitDepth == 8 ? image.plane.bytes.map(Int32.init) : wordValues(image.plane.bytes).map(Int32.init)
            self.init(width: width, height: height, channels: channels,
                      format: SampleFormat(bitsStored: bitDepth, isSigned: false), frames: [samples],
                      window: nil, inverted: false)
        }
    }

    /// The pixels of a DICOM file; nil when it has none that can be decoded.
    init?(dicom bytes: [UInt8], name: String) {
        guard let file = try? DicomFile(bytes: bytes, name: name), let geometry = file.geometry,
              let frames = try? (0..<geometry.frames).map({ index throws(DicomError) in try file.frame(index).samples })
        else { return nil }
        self.init(geometry, frames: frames)
    }

    private init(_ geometry: ImageGeometry, frames: [[Int32]]) {
        let planar = geometry.planarConfiguration == 1 && geometry.samplesPerPixel > 1
        let window = geometry.windowCenter.flatMap { center in
            geometry.windowWidth.flatMap { width -> ClosedRange<Double>? in
                guard width > 1, geometry.rescaleSlope != 0 else { return nil }
                let bounds = [center - width / 2, center + width / 2].map {
                    ($0 - geometry.rescaleIntercept) / geometry.rescaleSlope
                }
                // A window that is not a finite, non-empty interval would turn every level into NaN.
                guard bounds.allSatisfy(\.isFinite), bounds[0] != bounds[1] else { return nil }
                return bounds.min()!...bounds.max()!
            }
        }
        self.init(width: geometry.columns, height: geometry.rows, channels: geometry.samplesPerPixel,
                  format: SampleFormat(bitsStored: geometry.bitsStored, isSigned: geometry.isSigned),
                  frames: planar ? frames.map { interleaved($0, channels: geometry.samplesPerPixel) } : frames,
                  window: window, inverted: geometry.photometricInterpretation == "MONOCHROME1")
    }

    private init(width: Int, height: Int, channels: Int, format: SampleFormat, frames: [[Int32]],
                 window: ClosedRange<Double>?, inverted: Bool) {
        self.width = width
        self.height = height
        self.channels = channels
        self.format = format
        self.frames = frames
        self.inverted = inverted
        if let window {
            displayRange = window
        } else if format.bitsStored <= 8 {
            displayRange = Double(format.minValue)...Double(format.maxValue)
        } else {
            let first = frames[0]
            displayRange = Double(first.min() ?? 0)...Double(max(first.max() ?? 1, (first.min() ?? 0) + 1))
        }
    }

    /// Every sample of every frame.
    var allSamples: [Int32] { frames.flatMap { $0 } }

    /// One grey frame per frame and colour component, as the metrics want them.
    var planes: [Frame] {
        frames.flatMap { samples in
            (0..<channels).map { channel in
                Frame(width: width, height: height, format: format,
                      samples: Swift.stride(from: channel, to: samples.count, by: channels).map { samples[$0] })
            }
        }
    }

    /// The first frame as an 8-bit PNG (RGB for three components, else the first component in grey).
    func picture() throws -> [UInt8] {
        let (low, high) = (displayRange.lowerBound, displayRange.upperBound)
        let shown = frames[0].map { value -> UInt8 in
            let level = UInt8(min(max((Double(value) - low) / (high - low) * 255, 0), 255).rounded())
            return inverted ? 255 - level : level
        }
        if channels == 3 { return try PNG.write(rgb8: shown, width: width, height: height) }
        return try PNG.write(gray8: Swift.stride(from: 0, to: shown.count, by: channels).map { shown[$0] },
                             width: width, height: height)
    }

    /// A map of the first frame: white where any component differs from `other`'s, black elsewhere.
    func differences(from other: Raster) throws -> [UInt8] {
        let (a, b) = (frames[0], other.frames[0])
        let map = (0..<(width * height)).map { pixel -> UInt8 in
            (0..<channels).contains { a[pixel * channels + $0] != b[pixel * channels + $0] } ? 255 : 0
        }
        return try PNG.write(gray8: map, width: width, height: height)
    }
}

/// Colour by plane (RRR…GGG…BBB…) to colour by pixel (RGBRGB…).
private func interleaved(_ samples: [Int32], channels: Int) -> [Int32] {
    let pixels = samples.count / channels
    return (0..<samples.count).map { samples[($0 % channels) * pixels + $0 / channels] }
}
