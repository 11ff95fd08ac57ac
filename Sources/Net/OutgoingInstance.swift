import Foundation
import VeilCrypto
import VeilDICOM
import VeilFileSystem

/// One protected output about to be sent: the file, and the UIDs an archive files it under.
struct OutgoingInstance: Sendable {
    /// Where the file is on disk.
    var path: String
    /// As the manifest names it (relative to the output directory).
    var output: String
    var sopClassUID: String
    var sopInstanceUID: String
    var seriesInstanceUID: String

    /// Reads the output and checks it is still the file the manifest recorded: an output changed
    /// since `protect` wrote it might not be protected any more, so it is never sent.
    init(path: String, output: String, expectedSHA256: String) throws(NetError) {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw .badFile(path: path, detail: error.reason)
        }
        guard SHA256.hash(bytes).hexString == expectedSHA256 else {
            throw .badFile(path: path, detail: "differs from the output_sha256 the manifest recorded; not sent (run protect again)")
        }
        let file: DicomFile
        do {
            file = try DicomFile(bytes: bytes, name: path)
        } catch {
            throw .badFile(path: path, detail: "not readable as DICOM (\(error))")
        }
        guard let sopClass = file.dataSet.string(.sopClassUID), let sopInstance = file.dataSet.string(.sopInstanceUID),
              let series = file.dataSet.string(.seriesInstanceUID) else {
            throw .badFile(path: path, detail: "no SOP Class, SOP Instance or Series Instance UID")
        }
        self.path = path
        self.output = output
        sopClassUID = sopClass
        sopInstanceUID = sopInstance
        seriesInstanceUID = series
    }
}

extension [UInt8] {
    /// Lower-case hexadecimal, as the manifest writes hashes.
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
