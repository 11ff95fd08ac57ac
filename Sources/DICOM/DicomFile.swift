internal import CDCMTK
import VeilFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// A DICOM file as read: its header as Swift values, its pixel data decoded on request, and its original
/// bytes kept for byte-exact restoration. Owns the DCMTK object; not meant to be shared across tasks.
package final class DicomFile {
    /// The path the file was read from (or the name it was given in memory); every error names it.
    package let path: String
    package let transferSyntax: TransferSyntax
    package let metaInformation: DataSet
    /// Every element except the top-level Pixel Data (7FE0,0010).
    package let dataSet: DataSet
    /// The image geometry; nil without pixel data.
    package let geometry: ImageGeometry?
    package let hasPixelData: Bool

    let object: DCMTKObject
    private let bytes: [UInt8]

    /// Reads the file at `path`. It is DICOM if "DICM" follows a 128-byte preamble, or if DCMTK parses it
    /// as a dataset without one.
    package static func read(_ path: String) throws(DicomError) -> DicomFile {
        try DicomFile(bytes: readAll(path), name: path)
    }

    /// Parses a file held in memory; `name` stands in for the path in errors.
    package init(bytes: [UInt8], name: String) throws(DicomError) {
        path = name
        self.bytes = bytes
        do {
            object = try DCMTKObject(parsingFile: bytes)
            metaInformation = try object.metaInformation
            (dataSet, hasPixelData) = try object.dataSetWithoutPixels()
        } catch {
            throw Self.error(error, path: name)
        }
        let uid = object.transferSyntaxUID
        transferSyntax = TransferSyntax(uid: uid.isEmpty ? TransferSyntax.explicitVRLittleEndian.uid : uid)
        do {
            geometry = hasPixelData ? try ImageGeometry(dataSet) : nil
        } catch {
            throw .invalidAttribute(path: name, attribute: error)
        }
        if let geometry { try checkFrameCount(geometry) }
    }

    /// NumberOfFrames must fit the pixel data that is there: DCMTK would otherwise be asked for frames beyond
    /// its end, and a million claimed frames would be a million failed decodes.
    private func checkFrameCount(_ geometry: ImageGeometry) throws(DicomError) {
        guard geometry.frames > 1 else { return }  // one frame: a short one fails when decoded, with its sizes
        let extent: (bytes: Int, fragments: Int)
        do {
            extent = try object.pixelDataExtent()
        } catch {
            throw Self.error(error, path: path)
        }
        let problem: String?
        if transferSyntax.isEncapsulated {
            problem = geometry.frames > extent.fragments
                ? "the Pixel Data has \(extent.fragments) fragments, and every frame needs at least one" : nil
        } else if let needed = geometry.pixelDataLength, needed <= extent.bytes {
            problem = nil
        } else {
            let frameBytes = geometry.bytesPerFrame
            let fit = frameBytes > 0 ? extent.bytes / frameBytes : 0
            problem = "the \(extent.bytes) bytes of Pixel Data hold \(fit) frame\(fit == 1 ? "" : "s") of \(frameBytes) bytes"
        }
        if let problem {
            throw .invalidAttribute(path: path, attribute: InvalidAttribute(
                name: "NumberOfFrames", tag: .numberOfFrames, value: String(geometry.frames), requirement: problem))
        }
    }

    /// Number of frames; 0 without pixel data.
    package var frameCount: Int { geometry?.frames ?? 0 }

    /// Decodes frame `index` (from 0), whatever the transfer syntax, as long as DCMTK has a codec for it.
    package func frame(_ index: Int) throws(DicomError) -> PixelFrame {
        guard hasPixelData else { throw .noPixelData(path: path) }
        guard transferSyntax.isDecodable else {
            throw .unsupportedTransferSyntax(path: path, uid: transferSyntax.uid, name: transferSyntax.name)
        }
        guard var geometry else { throw .unsupportedPixelFormat(path: path, detail: "Rows, Columns or BitsAllocated missing") }
        if let reason = geometry.unsupportedReason { throw .unsupportedPixelFormat(path: path, detail: reason) }
        guard (0..<geometry.frames).contains(index) else {
            throw .frameOutOfRange(path: path, index: index, frames: geometry.frames)
        }
        let decoded: (bytes: [UInt8], colorModel: String)
        do {
            decoded = transferSyntax.isJPEG2000
                ? try JPEG2000.decode(object.frameFragments(index), geometry: geometry) : try object.decodeFrame(index)
        } catch let failure as DCMTKFailure {
            throw Self.error(failure, path: path)
        } catch {
            throw .unsupportedPixelFormat(path: path, detail: (error as? JPEG2000.Failure)?.message ?? "\(error)")
        }
        if transferSyntax.isJPEG2000 { geometry.planarConfiguration = 0 }  // decoded pixel by pixel
        guard decoded.bytes.count >= geometry.bytesPerFrame else {
            throw .corrupt(path: path, detail: "frame \(index) has \(decoded.bytes.count) bytes, expected \(geometry.bytesPerFrame)")
        }
        if !decoded.colorModel.isEmpty { geometry.photometricInterpretation = decoded.colorModel }
        return PixelFrame(geometry: geometry, bytes: Array(decoded.bytes.prefix(geometry.bytesPerFrame)))
    }

    /// The Pixel Data element exactly as it is held: in the file's syntax when encapsulated (offset
    /// table and fragments as they came), else in Explicit VR Little Endian. Equal for two files that
    /// hold the same pixel data, e.g. an input and its header-only output.
    package func pixelElement() throws(DicomError) -> [UInt8] {
        do { return try object.pixelElement() } catch { throw Self.error(error, path: path) }
    }

    /// The file's bytes exactly as read.
    package func originalBytes() -> [UInt8] { bytes }

    private static func error(_ failure: DCMTKFailure, path: String) -> DicomError {
        switch failure.status {
        case CDCM_NOT_DICOM: .notDICOM(path: path, reason: failure.message)
        case CDCM_TRUNCATED: .truncated(path: path, detail: failure.message)
        case CDCM_NO_PIXEL_DATA: .noPixelData(path: path)
        case CDCM_BAD_PIXELS: .unsupportedPixelFormat(path: path, detail: failure.message)
        default: .corrupt(path: path, detail: failure.message)
        }
    }

    /// The most `read` takes from one file. DICOM lengths are 32-bit, so a real file is under 4 GiB plus its
    /// header; a device or a runaway file is refused before it fills the memory.
    package static let maximumFileSize = 4 << 30

    /// The whole file, with the reason in DICOM terms when it cannot be had (only regular files, at
    /// most `maximumFileSize` bytes).
    private static func readAll(_ path: String) throws(DicomError) -> [UInt8] {
        do {
            return try FileSystem.read(path, limit: maximumFileSize)
        } catch {
            switch error.code {
            case .notFound: throw .notFound(path: path)
            case .isDirectory: throw .isDirectory(path: path)
            case let .notRegularFile(kind): throw .notRegularFile(path: path, kind: kind)
            case let .tooLarge(bytes, limit): throw .tooLarge(path: path, bytes: bytes, limit: limit)
            default: throw .unreadable(path: path, reason: String(cString: strerror(error.systemError)))
            }
        }
    }
}
