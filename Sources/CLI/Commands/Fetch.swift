import ArgumentParser
import Foundation
import VeilBatch
import VeilNet

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch a study from a DICOM archive, files exactly as the archive holds them.",
        discussion: """
        dicom://AET@host:port[?calling=OURAET] retrieves with C-GET, dicom+tls://… the same over \
        DICOM TLS (see `dcmveil send` for --tls-*), http(s)://host:port/dicom-web \
        with WADO-RS. Writes OUT/<SOP Instance UID>.dcm. Exit codes: 0 done, 1 the archive or the \
        study could not be reached, 64 bad URL or UID.
        """)

    @Argument(help: "Archive URL: dicom://AET@host:port, dicom+tls://AET@host:port or http(s)://host:port/dicom-web.")
    var url: String

    @Option(help: "Study Instance UID (the protected one, as the archive knows it).")
    var study: String

    @Option(help: "Output directory.")
    var out: String

    @OptionGroup var tls: TLSOptions

    func validate() throws {
        if !StudyFetcher.isUID(study) { throw ValidationError("--study \(study) is not a UID.") }
    }

    func run() async throws {
        let archive = try parseArchive(url, tls: tls, command: "fetch")
        let count = try await fetchStudy(study, from: archive, into: out, command: "fetch")
        printError("dcmveil fetch: \(count) instances of study \(study) from \(archive) into \(out)")
    }
}

/// Fetches a study or exits 1 with the reason.
func fetchStudy(_ study: String, from archive: Archive, into directory: String, command: String) async throws -> Int {
    do {
        return try await StudyFetcher(archive: archive).fetch(study: study, into: directory)
    } catch {
        printError("dcmveil \(command): \(error)")
        throw DcmVeilExit.failure
    }
}

/// Fetches a study afresh into `out/.dcmveil/fetched/UID` for `restore --from`: a stable place,
/// so that the restore manifest's inputs, and so its reruns, stay the same from fetch to fetch.
func fetchForRestore(_ study: String, from archive: Archive, out: String) async throws -> String {
    let folder = [out, StateDirectory.name, "fetched", study].joined(separator: "/")
    try? FileManager.default.removeItem(atPath: folder)
    _ = try await fetchStudy(study, from: archive, into: folder, command: "restore")
    return folder
}
