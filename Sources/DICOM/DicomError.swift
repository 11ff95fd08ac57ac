/// Why a DICOM file could not be read, decoded or written. Every message names the file and the problem.
package enum DicomError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case isDirectory(path: String)
    /// A FIFO, device or socket: reading it could block or never end.
    case notRegularFile(path: String, kind: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unreadable(path: String, reason: String)
    case notDICOM(path: String, reason: String)
    case truncated(path: String, detail: String)
    case corrupt(path: String, detail: String)
    case unsupportedTransferSyntax(path: String, uid: String, name: String)
    case noPixelData(path: String)
    case frameOutOfRange(path: String, index: Int, frames: Int)
    case unsupportedPixelFormat(path: String, detail: String)
    /// A numeric attribute that cannot be used as it is (see `InvalidAttribute`).
    case invalidAttribute(path: String, attribute: InvalidAttribute)
    /// A dataset DCMTK would not encode (no file involved yet).
    case cannotEncode(detail: String)
    case writeFailed(path: String, reason: String)

    package var description: String {
        switch self {
        case .notFound(let path): "\(path): no such file"
        case .isDirectory(let path): "\(path): is a directory, not a DICOM file"
        case .notRegularFile(let path, let kind): "\(path): \(kind), not a regular file; only regular files are read"
        case .tooLarge(let path, let bytes, let limit): "\(path): \(bytes) bytes or more, over the \(limit)-byte limit for one DICOM file"
        case .unreadable(let path, let reason): "\(path): cannot read (\(reason))"
        case .notDICOM(let path, let reason): "\(path): not a DICOM file (\(reason))"
        case .truncated(let path, let detail): "\(path): truncated DICOM file (\(detail))"
        case .corrupt(let path, let detail): "\(path): corrupt DICOM data (\(detail))"
        case .unsupportedTransferSyntax(let path, let uid, let name):
            "\(path): pixel data in transfer syntax \(name) (\(uid)) cannot be decoded"
        case .noPixelData(let path): "\(path): no pixel data"
        case .frameOutOfRange(let path, let index, let frames):
            "\(path): frame \(index) requested, the image has \(frames)"
        case .unsupportedPixelFormat(let path, let detail): "\(path): unsupported pixel format (\(detail))"
        case .invalidAttribute(let path, let attribute): "\(path): invalid \(attribute)"
        case .cannotEncode(let detail): "cannot encode DICOM dataset (\(detail))"
        case .writeFailed(let path, let reason): "\(path): \(reason)"
        }
    }
}
