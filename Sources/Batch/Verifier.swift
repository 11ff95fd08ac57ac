import VeilFileSystem
import VeilCrypto
import VeilDICOM
import VeilPipeline

/// Checks an output directory against its manifest: every recorded output present with its
/// recorded SHA-256, nothing else in the directory but our bookkeeping, and, given the private
/// key, every protected output restored in memory to the pixels its record's `pixel_sha256` names.
package struct Verifier: Sendable {
    package let directory: String
    package let key: PrivateKey?
    package let jobs: Int

    package init(directory: String, key: PrivateKey?, jobs: Int) {
        self.directory = directory
        self.key = key
        self.jobs = jobs
    }

    package struct Report: Sendable {
        package var records = 0
        package var outputsChecked = 0
        package var restoresChecked = 0
        /// One line per problem, each naming the file.
        package var problems: [String] = []
    }

    package func verify() async throws(BatchError) -> Report {
        let state = StateDirectory(output: directory, readOnly: true)
        // A shared lock: verifying while a run writes would report its work in progress as problems.
        let lock = FileSystem.kind(of: state.lockPath, follow: false) == nil ? nil : try OutputLock(state.lockPath, exclusive: false)
        defer { withExtendedLifetime(lock) {} }
        guard FileSystem.kind(of: state.manifestPath, follow: true) != nil else {
            throw .badState(path: state.manifestPath, detail: "no manifest: not a dcmveil output directory, or no run has finished in it")
        }
        let records = try Manifest.read(state.manifestPath)
        var report = Report(records: records.count)
        if FileSystem.kind(of: state.journalPath, follow: false) != nil {
            report.problems.append("\(state.journalPath): a run did not finish; run it again to complete the manifest")
        }
        for (earlier, later) in zip(records, records.dropFirst()) where !earlier.input.utf8.lexicographicallyPrecedes(later.input.utf8) {
            report.problems.append("\(state.manifestPath): records out of order or repeated at \(later.input)")
        }

        var outputs = Set<String>()
        for record in records where record.status.hasOutput {
            guard let output = record.output, record.outputSHA256 != nil else {
                report.problems.append("\(state.manifestPath): the record of \(record.input) names no output")
                continue
            }
            outputs.insert(output)
        }
        let checks = records.filter { $0.output != nil && $0.status.hasOutput }
        let restorer = key.map(InstanceRestorer.init)
        let outcomes = await withTaskGroup(of: (Bool, [String]).self) { group in
            var results: [(Bool, [String])] = []
            var iterator = checks.makeIterator()
            for _ in 0..<max(1, jobs) {
                guard let record = iterator.next() else { break }
                group.addTask { check(record, restorer: restorer) }
            }
            while let result = await group.next() {
                results.append(result)
                if let record = iterator.next() { group.addTask { check(record, restorer: restorer) } }
            }
            return results
        }
        report.outputsChecked = checks.count
        for (restored, problems) in outcomes {
            report.restoresChecked += restored ? 1 : 0
            report.problems += problems
        }
        for file in state.outputFiles() where !outputs.contains(file.relativePath) {
            report.problems.append("\(file.path): not in the manifest")
        }
        report.problems.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return report
    }

    /// Problems with one record's output, and whether it was restored in memory.
    private func check(_ record: ManifestRecord, restorer: InstanceRestorer?) -> (Bool, [String]) {
        let path = directory.appending(record.output!)
        let bytes: [UInt8]
        do {
            bytes = try BatchError.file(FileSystem.read(path))
        } catch {
            return (false, [error.description])
        }
        guard SHA256.hash(bytes).hex == record.outputSHA256 else {
            return (false, ["\(path): SHA-256 differs from the manifest (the file was changed after it was written)"])
        }
        guard let restorer, record.operation == .protect, let expected = record.pixelSHA256 else { return (false, []) }
        do {
            let restored = try restorer.restore(DicomFile(bytes: bytes, name: path))
            guard restored.pixelSHA256 == expected else {
                return (true, ["\(path): restored pixels differ from the original (\(record.input))"])
            }
            return (true, [])
        } catch {
            return (true, ["\(path): does not restore: \(message(error, about: path))"])
        }
    }
}
