/// What the Image Pixel module says about the pixel data: its shape and how samples sit in their words.
package struct ImageGeometry: Sendable, Equatable {
    package var rows: Int
    package var columns: Int
    package var frames: Int
    package var samplesPerPixel: Int
    package var photometricInterpretation: String
    package var bitsAllocated: Int
    package var bitsStored: Int
    package var highBit: Int
    /// 1 = two's complement samples.
    package var pixelRepresentation: Int
    /// 0 = colour by pixel (RGBRGB…), 1 = colour by plane.
    package var planarConfiguration: Int
    package var windowCenter: Double?
    package var windowWidth: Double?
    package var rescaleSlope: Double
    package var rescaleIntercept: Double

    package var isSigned: Bool { pixelRepresentation == 1 }

    /// How a pixel's samples make its colour: the one place that says "grayscale or not, how many
    /// planes". Everything that draws, protects, restores or shows pixels asks this.
    package enum ColourModel: Equatable, Sendable {
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
    package var colourModel: ColourModel? {
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
    package var planes: Int { samplesPerPixel }

    /// Whether samples come plane after plane (PlanarConfiguration 1) rather than pixel by pixel.
    package var isPlanar: Bool { planarConfiguration == 1 && samplesPerPixel > 1 }

    /// Samples in one frame (all pixels, all colour components).
    package var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Bytes of one frame as stored natively: one word of BitsAllocated per sample.
    package var bytesPerFrame: Int { samplesPerFrame * bitsAllocated / 8 }

    /// The values a stored sample can take, from BitsStored and signedness.
    package var sampleRange: ClosedRange<Int32> {
        isSigned ? -(1 << (bitsStored - 1))...((1 << (bitsStored - 1)) - 1) : 0...((1 << bitsStored) - 1)
    }

    /// Reads the Image Pixel attributes, defaulting optional ones as the standard does; nil when Rows,
    /// Columns or BitsAllocated is missing. Every number the code later converts or loops over is checked
    /// here, so that no header can make a range, a shift or a Double-to-Int conversion trap.
    package init?(_ dataSet: DataSet) throws(InvalidAttribute) {
        func integer(_ tag: Tag, _ name: String, _ range: ClosedRange<Int>) throws(InvalidAttribute) -> Int? {
            guard let text = Self.firstValue(tag, in: dataSet) else { return nil }
            guard let value = Double(text), value.isFinite, value == value.rounded(), let integer = Int(exactly: value),
                  range.contains(integer)
            else {
                throw InvalidAttribute(name: name, tag: tag, value: text,
                                       requirement: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return integer
        }
        guard let rows = try integer(.rows, "Rows", 1...65535), let columns = try integer(.columns, "Columns", 1...65535),
              let bitsAllocated = try integer(.bitsAllocated, "BitsAllocated", 1...64)
        else { return nil }
        self.rows = rows
        self.columns = columns
        self.bitsAllocated = bitsAllocated
        frames = try integer(.numberOfFrames, "NumberOfFrames", 1...Int(Int32.max)) ?? 1
        samplesPerPixel = try integer(.samplesPerPixel, "SamplesPerPixel", 1...4) ?? 1
        photometricInterpretation = dataSet.string(.photometricInterpretation) ?? ""
        bitsStored = try integer(.bitsStored, "BitsStored", 1...bitsAllocated) ?? bitsAllocated
        highBit = try integer(.highBit, "HighBit", (bitsStored - 1)...(bitsAllocated - 1)) ?? (bitsStored - 1)
        pixelRepresentation = try integer(.pixelRepresentation, "PixelRepresentation", 0...1) ?? 0
        planarConfiguration = try integer(.planarConfiguration, "PlanarConfiguration", 0...1) ?? 0
        // Enhanced (multi-frame) IODs keep window and rescale in functional group macros instead.
        let voi = dataSet[.windowCenter] != nil || dataSet[.windowWidth] != nil ? dataSet : Self.functionalGroup(Tag(0x0028, 0x9132), in: dataSet)
        let rescale = dataSet[.rescaleSlope] != nil || dataSet[.rescaleIntercept] != nil ? dataSet : Self.functionalGroup(Tag(0x0028, 0x9145), in: dataSet)
        windowCenter = try voi.flatMap { voi throws(InvalidAttribute) in try Self.real(.windowCenter, "WindowCenter", in: voi) }
        windowWidth = try voi.flatMap { voi throws(InvalidAttribute) in try Self.real(.windowWidth, "WindowWidth", in: voi) }
        rescaleSlope = try rescale.flatMap { item throws(InvalidAttribute) in
            try Self.real(.rescaleSlope, "RescaleSlope", in: item, smallest: Self.smallestSlope)
        } ?? 1
        rescaleIntercept = try rescale.flatMap { item throws(InvalidAttribute) in
            try Self.real(.rescaleIntercept, "RescaleIntercept", in: item)
        } ?? 0
    }

    /// Window and rescale values beyond this magnitude are nonsense for stored values of at most 32 bits and
    /// would overflow the integer stored-value window; a smaller non-zero slope would make it infinite.
    package static let largestMagnitude = 1e12  // the messages below spell these out
    package static let smallestSlope = 1e-12

    /// The first value of a numeric element as written (text of DS/IS, decimal for US); nil when absent or empty.
    private static func firstValue(_ tag: Tag, in dataSet: DataSet) -> String? {
        guard let element = dataSet[tag] else { return nil }
        if element.vr == .US { return element.uint16s.first.map { String($0) } }
        guard let first = element.strings.first, !first.isEmpty else { return nil }
        return first
    }

    /// A decimal value that must be finite and of plausible magnitude (see `largestMagnitude`).
    private static func real(_ tag: Tag, _ name: String, in dataSet: DataSet,
                             smallest: Double = 0) throws(InvalidAttribute) -> Double? {
        guard let text = firstValue(tag, in: dataSet) else { return nil }
        guard let value = Double(text), value.isFinite, value.magnitude <= largestMagnitude,
              value == 0 || value.magnitude >= smallest
        else {
            let small = smallest > 0 ? ", and 0 or at least 1e-12 in magnitude" : ""
            throw InvalidAttribute(name: name, tag: tag, value: text,
                                   requirement: "must be a finite number of magnitude at most 1e12\(small)")
        }
        return value
    }

    /// Bytes the pixel data of all frames needs (bits packed for BitsAllocated 1); nil if that overflows.
    package var pixelDataLength: Int? {
        var bits = rows
        for factor in [columns, samplesPerPixel, bitsAllocated, frames] {
            let (product, overflow) = bits.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            bits = product
        }
        return (bits + 7) / 8
    }

    /// Why samples in this layout cannot be handled as 8- or 16-bit words; nil when they can.
    package var unsupportedReason: String? {
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

/// A numeric Image Pixel attribute whose value cannot be used: not a number, not finite, or out of range.
package struct InvalidAttribute: Error, Equatable, Sendable, CustomStringConvertible {
    package let name: String
    package let tag: Tag
    package let value: String
    package let requirement: String

    package init(name: String, tag: Tag, value: String, requirement: String) {
        self.name = name
        self.tag = tag
        self.value = value
        self.requirement = requirement
    }

    /// NumberOfFrames (0028,0008) "-1": must be a whole number from 1 to 2147483647
    package var description: String { "\(name) \(tag) \"\(value)\": \(requirement)" }
}
