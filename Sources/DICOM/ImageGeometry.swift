/// What the Image Pixel module says about the pixel data: its shape and how samples sit in their words.
public struct ImageGeometry: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var frames: Int
    public var samplesPerPixel: Int
    public var photometricInterpretation: String
    public var bitsAllocated: Int
    public var bitsStored: Int
    public var highBit: Int
    /// 1 = two's complement samples.
    public var pixelRepresentation: Int
    /// 0 = colour by pixel (RGBRGB…), 1 = colour by plane.
    public var planarConfiguration: Int
    public var windowCenter: Double?
    public var windowWidth: Double?
    public var rescaleSlope: Double
    public var rescaleIntercept: Double

    public var isSigned: Bool { pixelRepresentation == 1 }

    /// How a pixel's samples make its colour: the one place that says "grayscale or not, how many
    /// planes". Everything that draws, protects, restores or shows pixels asks this.
    public enum ColourModel: Equatable, Sendable {
        /// One plane of grey levels; MONOCHROME1 shows high values dark.
        case monochrome(inverted: Bool)
        /// One plane of indices into the header's palette (PALETTE COLOR).
        case palette
        /// Three planes, red, green and blue.
        case rgb
        /// Three planes, luminance first, then the two chroma planes (YBR_FULL and the other YBR forms).
        case ybr
    }

    /// The colour model, or nil for a combination of Samples per Pixel and Photometric Interpretation
    /// that is not protectable (e.g. ARGB, CMYK, or an unknown one).
    public var colourModel: ColourModel? {
        switch (samplesPerPixel, photometricInterpretation) {
        case (1, "MONOCHROME1"): .monochrome(inverted: true)
        case (1, "MONOCHROME2"): .monochrome(inverted: false)
        case (1, "PALETTE COLOR"): .palette
        case (3, "RGB"): .rgb
        case (3, let model) where model.hasPrefix("YBR_"): .ybr
        default: nil
        }
    }

    /// Planes of one frame: 1 for grayscale and palette, 3 for colour.
    public var planes: Int { samplesPerPixel }

    /// Whether samples come plane after plane (PlanarConfiguration 1) rather than pixel by pixel.
    public var isPlanar: Bool { planarConfiguration == 1 && samplesPerPixel > 1 }

    /// Samples in one frame (all pixels, all colour components).
    public var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Bytes of one frame as stored natively: one word of BitsAllocated per sample.
    public var bytesPerFrame: Int { samplesPerFrame * bitsAllocated / 8 }

    /// The values a stored sample can take, from BitsStored and signedness.
    public var sampleRange: ClosedRange<Int32> {
        isSigned ? -(1 << (bitsStored - 1))...((1 << (bitsStored - 1)) - 1) : 0...((1 << bitsStored) - 1)
    }

    /// Reads the Image Pixel attributes, defaulting optional ones as the standard does; nil when Rows,
    /// Columns or BitsAllocated is missing.
    public init?(_ dataSet: DataSet) {
        func integer(_ tag: Tag) -> Int? { dataSet.number(tag).map { Int($0) } }
        guard let rows = integer(.rows), let columns = integer(.columns), let bitsAllocated = integer(.bitsAllocated)
        else { return nil }
        self.rows = rows
        self.columns = columns
        self.bitsAllocated = bitsAllocated
        frames = integer(.numberOfFrames) ?? 1
        samplesPerPixel = integer(.samplesPerPixel) ?? 1
        photometricInterpretation = dataSet.string(.photometricInterpretation) ?? ""
        bitsStored = integer(.bitsStored) ?? bitsAllocated
        highBit = integer(.highBit) ?? (bitsStored - 1)
        pixelRepresentation = integer(.pixelRepresentation) ?? 0
        planarConfiguration = integer(.planarConfiguration) ?? 0
        // Enhanced (multi-frame) IODs keep window and rescale in functional group macros instead.
        let voi = dataSet.number(.windowCenter) != nil ? dataSet : Self.functionalGroup(Tag(0x0028, 0x9132), in: dataSet)
        let rescale = dataSet.number(.rescaleSlope) != nil ? dataSet : Self.functionalGroup(Tag(0x0028, 0x9145), in: dataSet)
        windowCenter = voi?.number(.windowCenter)
        windowWidth = voi?.number(.windowWidth)
        rescaleSlope = rescale?.number(.rescaleSlope) ?? 1
        rescaleIntercept = rescale?.number(.rescaleIntercept) ?? 0
    }

    /// Why samples in this layout cannot be handled as 8- or 16-bit words; nil when they can.
    public var unsupportedReason: String? {
        guard bitsAllocated == 8 || bitsAllocated == 16 else { return "BitsAllocated \(bitsAllocated)" }
        guard (1...bitsAllocated).contains(bitsStored), (bitsStored - 1..<bitsAllocated).contains(highBit) else {
            return "BitsStored \(bitsStored), HighBit \(highBit) in \(bitsAllocated)-bit words"
        }
        guard rows > 0, columns > 0, frames > 0, samplesPerPixel > 0 else {
            return "\(rows)×\(columns), \(frames) frames, \(samplesPerPixel) samples per pixel"
        }
        return nil
    }

    /// The first item of a functional group macro (e.g. Frame VOI LUT (0028,9132)), from the Shared
    /// Functional Groups (5200,9229), else from the first frame's Per-frame Functional Groups (5200,9230).
    private static func functionalGroup(_ macro: Tag, in dataSet: DataSet) -> DataSet? {
        for groups in [Tag(0x5200, 0x9229), Tag(0x5200, 0x9230)] {
            if let item = dataSet[groups]?.items?.first?[macro]?.items?.first { return item }
        }
        return nil
    }
}
