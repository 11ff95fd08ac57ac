import VeilFileSystem
import Foundation
import VeilDICOM
import VeilImageIO

/// A cover (or stego) image opened for hiding or revealing: its samples' least significant bits, and
/// what is needed to write it back in its own format with nothing else changed.
///
/// DICOM: every sample of every frame and colour component, in the order the pixel data stores them;
/// written back as Explicit VR Little Endian with the same dataset and new pixel data (a compressed
/// cover is decoded first: hiding in compressed data would not survive re-encoding). PNG: 8- and 16-bit
/// grey and 8-bit RGB, which VeilImageIO can write back as the same kind of PNG.
package struct CoverImage {
    /// The file the image came from (or the name it was given); errors name it.
    package let path: String
    var plane: LSBPlane
    let format: Format

    enum Format {
        case dicom(DataSet, ImageGeometry)
        case png(width: Int, height: Int, bitDepth: Int, channels: Int)
    }

    /// How many bits the image can hold: one per sample.
    package var sampleCount: Int { plane.count }

    /// Reads a DICOM or PNG file (told apart by the PNG signature).
    package static func read(_ path: String) throws(StegoError) -> CoverImage {
        try CoverImage(bytes: readFile(path), name: path)
    }

    init(bytes: [UInt8], name: String) throws(StegoError) {
        path = name
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            (plane, format) = try Self.png(bytes, name)
        } else {
            (plane, format) = try Self.dicom(bytes, name)
        }
    }

    /// The image as a file of its own format, with the current least significant bits.
    func encoded() throws(StegoError) -> [UInt8] {
        switch format {
        case .dicom(let dataSet, _):
            do {
                return try DicomWriter.encodeFile(dataSet: dataSet, pixelData: plane.bytes)
            } catch {
                throw .internalFailure(path: path, reason: "\(error)")
            }
        case .png(let width, let height, let bitDepth, let channels):
            do {
                switch (bitDepth, channels) {
                case (8, 1): return try PNG.write(gray8: plane.bytes, width: width, height: height)
                case (8, _): return try PNG.write(rgb8: plane.bytes, width: width, height: height)
                default: return try PNG.write(gray16: wordValues(plane.bytes), width: width, height: height)
                }
            } catch {
                throw .internalFailure(path: path, reason: "\(error)")
            }
        }
    }

    private static func dicom(_ bytes: [UInt8], _ path: String) throws(StegoError) -> (LSBPlane, Format) {
        do {
            let file = try DicomFile(bytes: bytes, name: path)
            guard var geometry = file.geometry else { throw DicomError.noPixelData(path: path) }
            var dataSet = file.dataSet
            var pixels = [UInt8]()
            pixels.reserveCapacity(geometry.bytesPerFrame * geometry.frames)
            for index in 0..<geometry.frames {
                let frame = try file.frame(index)
                pixels += frame.bytes
                geometry.photometricInterpretation = frame.geometry.photometricInterpretation
            }
            // A decoder may change the colour model (YBR JPEG comes out as RGB); the dataset must say so.
            if dataSet.string(.photometricInterpretation) != geometry.photometricInterpretation {
                dataSet.set(.photometricInterpretation, .CS, geometry.photometricInterpretation)
            }
            let plane = LSBPlane(words: pixels, wordSize: geometry.bitsAllocated / 8,
                                 lsbPosition: geometry.highBit + 1 - geometry.bitsStored)
            return (plane, .dicom(dataSet, geometry))
        } catch {
            throw .unsupportedCover(path: path, reason: "\(error)")
        }
    }

    private static func png(_ bytes: [UInt8], _ path: String) throws(StegoError) -> (LSBPlane, Format) {
        let image: PNGImage
        do {
            image = try PNG.read(bytes)
        } catch {
            throw .unsupportedCover(path: path, reason: "\(error)")
        }
        let format = Format.png(width: image.width, height: image.height, bitDepth: image.bitDepth, channels: image.channels)
        switch (image.bitDepth, image.channels) {
        case (8, 1), (8, 3):
            return (LSBPlane(words: image.samples.map { UInt8($0) }, wordSize: 1, lsbPosition: 0), format)
        case (16, 1):
            return (LSBPlane(words: wordBytes(image.samples), wordSize: 2, lsbPosition: 0), format)
        default:
            let kind = ["grey", "grey + alpha", "RGB", "RGBA"][image.channels - 1]
            throw .unsupportedCover(path: path, reason:
                "\(image.bitDepth)-bit \(kind) PNG cannot be written back; supported: 8- and 16-bit grey, 8-bit RGB")
        }
    }
}

/// 16-bit values as little-endian words.
func wordBytes(_ values: [UInt16]) -> [UInt8] {
    values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] }
}

/// Little-endian words as 16-bit values.
func wordValues(_ bytes: [UInt8]) -> [UInt16] {
    stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
}

/// The whole of a file, or why not.
func readFile(_ path: String) throws(StegoError) -> [UInt8] {
    do { return try FileSystem.read(path) } catch { throw .file(error) }
}
