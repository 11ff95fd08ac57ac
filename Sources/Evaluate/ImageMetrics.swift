import VeilCore
import VeilPipeline

/// Everything measured on one evaluated frame: what `metrics.json`, `metrics.csv` and the HTML
/// report show. Pictures are written as the frame is evaluated and only named here, so that a
/// large tree does not keep its frames in memory.
package struct ImageMetrics: Sendable {
    /// Unique in a report; prefixes the frame's picture files.
    package var id: String
    /// The input path as given on the command line (or found under a given directory).
    package var input: String
    /// 1-based frame number in the instance.
    package var frame: Int
    package var width: Int
    package var height: Int
    /// Bits the engine worked at: the file's BitsStored, or 8 with `--eight-bit`.
    package var bitsStored: Int
    /// The frame was windowed to 8 bits before protection (the paper's setting).
    package var eightBit: Bool

    /// The paper's comparisons on the stored values the engine works on (peak 2^bitsStored − 1).
    package var stored: Comparisons
    /// The same on the 8-bit pictures a viewer shows through the display window: the paper's
    /// setting for files deeper than 8 bits (identical to `stored` with `--eight-bit`).
    package var displayed: Comparisons

    package var parameters: EmbeddingParameters
    package var payloadBytes: Int
    package var capacityBits: Int
    package var textureBlocks: Int
    package var qrVersion: Int
    /// Share of the key region on the anatomy (`Engine.foregroundShare`).
    package var keyRegionForeground: Double = 0
    /// The instance's `protect` and `restore` (header, QR, RSA and verification included),
    /// shared equally among its frames.
    package var protectMilliseconds: Double
    package var restoreMilliseconds: Double
    /// The engine's stages for this frame.
    package var engineTimings: [StageTiming]
    package var sweep: [SweepPoint]

    /// The file name of one of this frame's pictures, relative to the report directory.
    package func picture(_ picture: Picture) -> String { "images/\(id)-\(picture.rawValue).png" }
}

/// The paper's five comparisons of one frame, each against the original.
package struct Comparisons: Sendable {
    /// Protected (scrambled, payload embedded, QR stamped).
    package var protected: Quality
    /// The key holder's view before the key region is pasted back (QR still there).
    package var intermediate: Quality
    /// The frame restored from the protected file by `restore`.
    package var restored: Quality
    /// The key region as anyone without the key has it, the QR block, against the original key region.
    package var unauthorizedKeyRegion: Quality
    /// The key region as the key holder restores it, against the original key region.
    package var authorizedKeyRegion: Quality

    /// The comparisons of `views`, each frame first passed through `transform`.
    init(_ views: FrameViews, transform: (Frame) -> Frame = { $0 }) {
        let original = transform(views.original), protected = transform(views.protected)
        let restored = transform(views.restored)
        self.protected = Quality(protected, against: original)
        intermediate = Quality(transform(views.intermediate), against: original)
        self.restored = Quality(restored, against: original)
        unauthorizedKeyRegion = Quality(protected, against: original, in: views.keyRegion)
        authorizedKeyRegion = Quality(restored, against: original, in: views.keyRegion)
    }
}

/// The pictures of one frame, as the paper's Figs. 5–8 show them.
package enum Picture: String, CaseIterable, Sendable {
    case original, protected, intermediate, restored
    case keyOriginal = "key-original", keyUnauthorized = "key-unauthorized", keyAuthorized = "key-authorized"

    package var caption: String {
        switch self {
        case .original: "Original"
        case .protected: "Protected (as stored and shared)"
        case .intermediate: "Authorized, before the key region is put back"
        case .restored: "Restored"
        case .keyOriginal: "Key region: original"
        case .keyUnauthorized: "Key region: unauthorized (the QR code)"
        case .keyAuthorized: "Key region: authorized"
        }
    }
}

/// Protection of the frame with the texture threshold fixed at `threshold` (paper Figs. 9–11).
package struct SweepPoint: Sendable {
    package var threshold: Int
    /// What the fixed threshold gave, or nil when the payload did not fit.
    package var fit: Fit?
    /// Why it did not fit.
    package var failure: String?

    package struct Fit: Sendable {
        /// Protected against the original.
        package var quality: Quality
        /// The range and passes the planner needed at this threshold.
        package var range: ExpansionRange
        package var passes: Int
        package var textureBlocks: Int
    }
}

/// An input that was not evaluated, and why.
package struct SkippedInput: Sendable, Encodable {
    package var input: String
    package var reason: String
}
