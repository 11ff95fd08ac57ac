#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem
import VeilCrypto
import VeilDICOM

/// Handles one input in a child task: hash it, reuse the earlier output when nothing changed,
/// otherwise parse, run the operation and write the output atomically. Never throws: whatever
/// goes wrong with one file becomes its `failed` record.
struct Worker<Op: InstanceOperation>: Sendable {
    let operation: Op
    let output: String
    /// Earlier outputs were made with the same settings and may be kept.
    let reusable: Bool
    let dryRun: Bool
    let claims: OutputClaims
    /// Where the fatal-signal handler records the input a crash happened on (nil: a dry run records nothing).
    let crashRecord: String?
    /// With `--shard … --shard-by study-uid`, which inputs are this shard's is known only once read.
    var shard: Shard? = nil

    struct Outcome: Sendable {
        var record: ManifestRecord
        var unchanged = false
        /// Dry run: the file would have been processed.
        var wouldProcess = false
        var bytesRead = 0
        var bytesWritten = 0
        /// The output file written (not yet fsynced: the journal makes it durable).
        var written: String?
        /// The input belongs to another shard: no record.
        var elsewhere = false
    }

    func handle(_ input: InputFile, previous: ManifestRecord?) -> Outcome {
        var record = ManifestRecord(input: input.path, status: .failed)
        if operation.operation == .protect { record.frames = [] }
        switch input.unusable {
        case .skipped(let reason)?: return Outcome(record: with(record, .skipped, reason))
        case .failed(let reason)?: return Outcome(record: with(record, .failed, reason))
        case nil: break
        }

        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(input.path)
        } catch where error.code == .notFound {
            return unreadable(input, with(record, .failed, ManifestRecord.disappearedReason))
        } catch {
            return unreadable(input, with(record, .failed, message(error, about: input.path)))
        }
        if let shard, shard.ownsByPath(input) == nil,
           !shard.owns(shard.key(of: input, file: try? DicomFile(bytes: bytes, name: input.path))) {
            return Outcome(record: record, elsewhere: true)
        }
        let digest = SHA256.hash(bytes)
        record.inputSHA256 = digest.hex
        var outcome = Outcome(record: record, bytesRead: bytes.count)
        if let previous, previous.isCrash, reusable, previous.inputSHA256 == digest.hex {
            // Not tried again: it would most likely take this run down too.
            outcome.record = previous
            return outcome
        }
        if let previous, unchanged(previous, hash: digest.hex) {
            outcome.record = previous
            outcome.unchanged = true
            return outcome
        }
        // Everything that could trap runs marked with this input, for the crash record.
        return CrashGuard.processing(input.path, sha256: digest.hex, record: crashRecord) {
            FaultInjection.trapIfAsked(for: input.path)
            return process(bytes, digest: digest, input: input, outcome: outcome)
        }
    }

    /// Parses, runs the operation and writes the output; `outcome` holds the hashed record so far.
    private func process(_ bytes: [UInt8], digest: [UInt8], input: InputFile, outcome: Outcome) -> Outcome {
        var outcome = outcome
        var record = outcome.record
        do {
            let file = try DicomFile(bytes: bytes, name: input.path)
            if dryRun {
                outcome.wouldProcess = true
                return outcome
            }
            let processed = try operation.process(file, input: input, fileSHA256: digest)
            if operation.plannedOutput(for: input) == nil, let owner = claims.claim(processed.output, for: input.path) {
                outcome.record = with(record, .failed, "its output \(processed.output) is already the output of \(owner) (the same instance twice?)")
                return outcome
            }
            let path = output.appending(processed.output)
            try FileSystem.makeDirectories(path.parentPath)
            try AtomicFile.write(processed.bytes, to: path, durable: false)  // durable later, in groups (Journal)
            outcome.written = path
            outcome.bytesWritten = processed.bytes.count
            record.status = processed.status
            record.reason = processed.reason
            record.output = processed.output
            record.outputSHA256 = (processed.bytesSHA256 ?? SHA256.hash(processed.bytes)).hex
            record.pixelSHA256 = processed.pixelSHA256
            record.frames = processed.frames
            record.byteExact = processed.byteExact
            outcome.record = record
        } catch DicomError.notDICOM {
            outcome.record = with(record, .skipped, "not a DICOM file")
        } catch let DicomError.unsupportedTransferSyntax(_, uid, name) {
            outcome.record = with(record, .skipped, "transfer syntax \(name) (\(uid)) is not supported")
        } catch {
            outcome.record = with(record, .failed, message(error, about: input.path))
        }
        return outcome
    }

    /// Whether `previous` still describes this input: same content, same settings, and (for a
    /// record with an output) that output still there with the hash recorded. Failures are retried.
    private func unchanged(_ previous: ManifestRecord, hash: String) -> Bool {
        guard reusable, previous.inputSHA256 == hash, previous.status != .failed else { return false }
        guard previous.status.hasOutput else { return true }
        guard let relative = previous.output, let expected = previous.outputSHA256 else { return false }
        guard claims.claim(relative, for: previous.input) == nil else { return false }
        return (try? FileSystem.sha256(of: output.appending(relative))) == expected
    }

    /// An input that cannot be read is recorded by the shard its folder names (all by one).
    private func unreadable(_ input: InputFile, _ record: ManifestRecord) -> Outcome {
        Outcome(record: record, elsewhere: shard.map { !$0.owns(Shard.folderKey(input.relativePath)) } ?? false)
    }

    private func with(_ record: ManifestRecord, _ status: ManifestRecord.Status, _ reason: String) -> ManifestRecord {
        var record = record
        record.status = status
        record.reason = reason
        return record
    }
}
