/// What VeilNet needs from an archive, whatever the protocol: store a series, retrieve a study.
protocol ArchiveConnection: Sendable {
    /// Stores one series' instances; returns what was not stored, by path (empty: all stored).
    func store(_ series: [OutgoingInstance]) async -> [String: NetError]

    /// Retrieves every instance of a study into `directory` as `<SOP Instance UID>.dcm`, as the
    /// archive holds it; returns how many were written.
    func retrieveStudy(_ studyInstanceUID: String, into directory: String) async throws(NetError) -> Int
}

extension Archive {
    /// Seconds to wait for a connection or an answer before calling the archive unreachable.
    static let timeoutSeconds: UInt32 = 30

    var connection: any ArchiveConnection {
        switch self {
        case .dimse(let peer): DimseConnection(peer: peer)
        case .dicomWeb(let root): DicomWebConnection(root: root)
        }
    }
}
