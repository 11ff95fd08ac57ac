import VeilCore
import VeilDICOM

/// The stored values a QR code is drawn in, per plane, so that it renders black on white however the
/// image is shown, and the window its brightness view (`PixelFrame.luminance`) is read through:
/// - grayscale: the two ends of the display window (header window, else the frame's range);
/// - palette: the indices whose palette entries render darkest and brightest;
/// - RGB: the format's minimum and maximum in every plane (black and white);
/// - YBR: Y at its minimum and maximum, both chroma planes at their middle (no colour).
struct QRInk {
    var planes: [(dark: Int32, light: Int32)]
    var window: DisplayWindow

    init(geometry: ImageGeometry, header: DataSet, view: Frame) {
        let format = geometry.sampleFormat
        let full = DisplayWindow(low: format.minValue, high: format.maxValue, inverted: false)
        switch geometry.colourModel {
        case .rgb?:
            window = full
            planes = Array(repeating: (format.minValue, format.maxValue), count: geometry.planes)
        case .ybr?:
            window = full
            let middle = format.minValue + (format.maxValue - format.minValue + 1) / 2
            planes = [(format.minValue, format.maxValue)] + Array(repeating: (middle, middle), count: geometry.planes - 1)
        case .palette? where Palette(header)?.qrWindow(format: format) != nil:
            window = Palette(header)!.qrWindow(format: format)!
            planes = [(window.dark, window.light)]
        default:
            window = DisplayWindow(geometry: geometry, format: format)
                ?? DisplayWindow(frame: view, inverted: geometry.colourModel == .monochrome(inverted: true))
            planes = [(window.dark, window.light)]
        }
    }
}
