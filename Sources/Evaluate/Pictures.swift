import Foundation
import VeilCore
import VeilImageIO

/// The PNG pictures of one frame, rendered through the display window the QR was drawn in, so
/// they look as a DICOM viewer shows the image (and the QR shows black on white).
enum Pictures {
    static func write(_ views: FrameViews, of metrics: ImageMetrics, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/images", withIntermediateDirectories: true)
        for picture in Picture.allCases {
            let (frame, region) = source(of: picture, in: views)
            let area = region ?? frame.bounds
            let png = try PNG.write(gray8: views.window.render(frame, region: region), width: area.width, height: area.height)
            try Data(png).write(to: URL(fileURLWithPath: directory + "/" + metrics.picture(picture)))
        }
    }

    /// The frame a picture shows, and the part of it (nil: all of it).
    private static func source(of picture: Picture, in views: FrameViews) -> (Frame, Region?) {
        switch picture {
        case .original: (views.original, nil)
        case .protected: (views.protected, nil)
        case .intermediate: (views.intermediate, nil)
        case .restored: (views.restored, nil)
        case .keyOriginal: (views.original, views.keyRegion)
        case .keyUnauthorized: (views.protected, views.keyRegion)
        case .keyAuthorized: (views.restored, views.keyRegion)
        }
    }
}
