import VeilCore
import VeilPipeline

/// Everything measured on one evaluated frame: what `metrics.json`, `metrics.csv` and the HTML
/// report show. Pictures are written as the frame is evaluated and only named here, so that a
/// large tree does not keep its frames in memory.
public struct ImageMetrics: Sendable {
    /// Unique in a report; prefixes the frame's picture files.
    public var id: String
    /// The input path as given on the command line (or found under a given directory).
    public var input: String
    /// 1-based frame number in the instance.
    public var frame: Int
    public var width: Int
    public var height: Int
    /// Bits the engine worked at: the file's BitsStored, or 8 with `--eight-bit`.
    public var bitsStored: Int
    /// The frame was windowed to 8 bits before protection (the paper's setting).
    public var eightBit: Bool

    /// The paper's comparisons on the stored values the engine works on (peak 2^bitsStored − 1).
    public var stored: Comparisons
    /// The same on the 8-bit pictures a viewer shows through the display window: the paper's
    /// setting for files deeper than 8 bits (identical to `stored` with `--eight-bit`).
    public var displayed: Comparisons

    public var parameters: EmbeddingParameters
    public var payloadBytes: Int
    public var capacityBits: Int
    public var textureBlocks: Int
    public var qrVersion: Int
    /// Share of the key region on the anatomy (`Engine.foregroundShare`).
    public var keyRegionForeground: Double = 0
    /// The instance's `protect` and `restore` (header, QR, RSA and verification included),
    /// shared equally among its frames.
    public var protectMilliseconds: Double
    public var restoreMilliseconds: Double
    /// The engine's stages for this frame.
    public var engineTimings: [StageTiming]
    public var sweep: [SweepPoint]

    /// The file name of one of this frame's pictures, relative to the report directory.
    public func picture(_ picture: Picture) -> String { "images/\(id)-\(picture.rawValue).png" }
}

/// The paper's five comparisons of one frame, each against the original.
public struct Comparisons: Sendable {
    /// Protected (scrambled, payload embedded, QR stamped).
    public var protected: Quality
    /// The key holder's view before the key region is pasted back (QR still there).
    public var intermediate: Quality
    /// The frame restored from the protected file by `restore`.
    public var restored: Quality
    /// The key region as anyone without the key has it, the QR block, against the original key region.
    public var unauthorizedKeyRegion: Quality
    /// The key region as the key holder restores it, against the original key region.
    public var authorizedKeyRegion: Quality

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
public enum Picture: String, CaseIterable, Sendable {
    case original, protected, intermediate, restored
    case keyOriginal = "key-original", keyUnauthorized = "key-unauthorized", keyAuthorized = "key-authorized"

    public var caption: String {
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
public struct SweepPoint: Sendable {
    public var threshold: Int
    /// What the fixed threshold gave, or nil when the payload did not fit.
    public var fit: Fit?
    /// Why it did not fit.
    public var failure: String?

    public struct Fit: Sendable {
        /// Protected against the original.
        public var quality: Quality
        /// The range and passes the planner needed at this threshold.
        public var range: ExpansionRange
        public var passes: Int
        public var textureBlocks: Int
    }
}

/// An input that was not evaluated, and why.
public struct SkippedInput: Sendable, Encodable {
    public var input: String
    public var reason: String
}
