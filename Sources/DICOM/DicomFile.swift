internal import CDCMTK
#if canImport(Glibc)
import Glibc
#endif

/// A DICOM file as read: its header as Swift values, its pixel data decoded on request, and its original
/// bytes kept for byte-exact restoration. Owns the DCMTK object; not meant to be shared across tasks.
public final class DicomFile {
    /// The path the file was read from (or the name it was given in memory); every error names it.
    public let path: String
    public let transferSyntax: TransferSyntax
    public let metaInformation: DataSet
    /// Every element except the top-level Pixel Data (7FE0,0010).
    public let dataSet: DataSet
    /// The image geometry; nil without pixel data.
    public let geometry: ImageGeometry?
    public let hasPixelData: Bool

    let object: DCMTKObject
    private let bytes: [UInt8]

    /// Reads the file at `path`. It is DICOM if "DICM" follows a 128-byte preamble, or if DCMTK parses it
    /// as a dataset without one.
    public static func read(_ path: String) throws(DicomError) -> DicomFile {
        try DicomFile(bytes: readAll(path), name: path)
    }

    /// Parses a file held in memory; `name` stands in for the path in errors.
    public init(bytes: [UInt8], name: String) throws(DicomError) {
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
        geometry = hasPixelData ? ImageGeometry(dataSet) : nil
    }

    /// Number of frames; 0 without pixel data.
    public var frameCount: Int { geometry?.frames ?? 0 }

    /// Decodes frame `index` (from 0), whatever the transfer syntax, as long as DCMTK has a codec for it.
    public func frame(_ index: Int) throws(DicomError) -> PixelFrame {
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
    public func pixelElement() throws(DicomError) -> [UInt8] {
        do { return try object.pixelElement() } catch { throw Self.error(error, path: path) }
    }

    /// The file's bytes exactly as read.
    public func originalBytes() -> [UInt8] { bytes }

    private static func error(_ failure: DCMTKFailure, path: String) -> DicomError {
        switch failure.status {
        case CDCM_NOT_DICOM: .notDICOM(path: path, reason: failure.message)
        case CDCM_TRUNCATED: .truncated(path: path, detail: failure.message)
        case CDCM_NO_PIXEL_DATA: .noPixelData(path: path)
        case CDCM_BAD_PIXELS: .unsupportedPixelFormat(path: path, detail: failure.message)
        default: .corrupt(path: path, detail: failure.message)
        }
    }

    /// The whole file, with the reason in DICOM terms when it cannot be had.
    private static func readAll(_ path: String) throws(DicomError) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw errno == ENOENT ? .notFound(path: path) : .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if status.st_mode & S_IFMT == S_IFDIR { throw .isDirectory(path: path) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            bytes += chunk[..<count]
        }
    }
}
