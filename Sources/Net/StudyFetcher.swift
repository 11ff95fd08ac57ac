import Foundation

/// Fetches a whole study from an archive (C-GET or WADO-RS) into a directory of
/// `<SOP Instance UID>.dcm` files, exactly as the archive holds them.
package struct StudyFetcher: Sendable {
    package var archive: Archive

    package init(archive: Archive) {
        self.archive = archive
    }

    /// Retrieves `studyInstanceUID` into `directory` (created if needed); returns how many instances
    /// arrived. An empty answer is an error: nothing to restore is never success.
    package func fetch(study studyInstanceUID: String, into directory: String) async throws(NetError) -> Int {
        guard Self.isUID(studyInstanceUID) else {
            throw .badURL(studyInstanceUID, "not a UID (digits and dots, at most 64 characters)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .badFile(path: directory, detail: "cannot create (\(error.localizedDescription))")
        }
        let count = try await archive.connection.retrieveStudy(studyInstanceUID, into: directory)
        guard count > 0 else { throw .failed(peer: archive.description, detail: "no instances of study \(studyInstanceUID)") }
        return count
    }

    /// DICOM PS3.5 9.1: digits and dots, at most 64 characters (a UID also names a folder here).
    package static func isUID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
            && !text.hasPrefix(".") && !text.contains("..")
    }
}
