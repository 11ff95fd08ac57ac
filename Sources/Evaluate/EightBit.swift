import VeilCore
import VeilDICOM
import VeilPipeline

/// The paper's setting: its CT images were 8-bit pictures, windowed from the scanner's data.
enum EightBit {
    /// `file` with every grayscale frame replaced by its 8-bit rendering through the display window
    /// (the header's first window, else the frame's own range), as an 8-bit MONOCHROME2 instance
    /// whose window shows 0…255 as they are. Other files come back unchanged, for `protect` to
    /// give its reason for leaving them alone.
    static func windowed(_ file: DicomFile) throws -> DicomFile {
        guard let geometry = file.geometry, geometry.samplesPerPixel == 1,
              geometry.photometricInterpretation.hasPrefix("MONOCHROME") else { return file }
        var pixels: [UInt8] = []
        for index in 0..<geometry.frames {
            let frame = Frame(try file.frame(index))
            let window = DisplayWindow(geometry: geometry, format: frame.format)
                ?? DisplayWindow(frame: frame, inverted: geometry.photometricInterpretation == "MONOCHROME1")
            pixels += window.render(frame)
        }
        var dataSet = file.dataSet
        dataSet.set(DataElement(tag: .bitsAllocated, uint16s: [8]))
        dataSet.set(DataElement(tag: .bitsStored, uint16s: [8]))
        dataSet.set(DataElement(tag: .highBit, uint16s: [7]))
        dataSet.set(DataElement(tag: .pixelRepresentation, uint16s: [0]))
        dataSet.set(DataElement(tag: .photometricInterpretation, vr: .CS, string: "MONOCHROME2"))
        dataSet.set(DataElement(tag: .windowCenter, vr: .DS, string: "128"))
        dataSet.set(DataElement(tag: .windowWidth, vr: .DS, string: "256"))
        // Attributes that describe the old values and no longer hold: pixel value extremes
        // (their VR follows the old signedness), rescale and lookup tables.
        for tag in [Tag(0x0028, 0x0106), Tag(0x0028, 0x0107), Tag(0x0028, 0x0108), Tag(0x0028, 0x0109),
                    .rescaleIntercept, .rescaleSlope, Tag(0x0028, 0x1054), Tag(0x0028, 0x3000), Tag(0x0028, 0x3010)] {
            dataSet.remove(tag)
        }
        let bytes = try DicomWriter.encodeFile(dataSet: dataSet, pixelData: pixels)
        return try DicomFile(bytes: bytes, name: "\(file.path) (8-bit)")
    }
}
