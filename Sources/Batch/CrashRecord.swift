internal import CCrashGuard
#if canImport(Glibc)
import Glibc
#endif
import VeilFileSystem

/// `DIR/.dcmveil/crashes`: the inputs a run was processing when the process died of a fatal signal
/// (a Swift trap, a segmentation fault in DCMTK...). The signal handler appends one entry per
/// crashing thread; the next run records each such input as `failed` ("the previous run crashed on
/// it") and goes on, so that one file can never stop every later run.
///
/// An entry is `SHA256 PATH` and a NUL byte: the handler cannot escape JSON, and a path cannot
/// contain a NUL. An entry without its NUL (torn by a second crash) is dropped.
enum CrashRecord {
    static let fileName = "crashes"

    struct Entry: Equatable {
        var input: String
        var inputSHA256: String
    }

    /// The entry the handler writes if the input with this hash crashes the process.
    static func entry(input: String, inputSHA256: String) -> [UInt8] {
        Array("\(inputSHA256) \(input)".utf8) + [0]
    }

    /// The entries left by a run that crashed; none when it did not.
    static func read(_ path: String) throws(BatchError) -> [Entry] {
        guard FileSystem.kind(of: path, follow: false) != nil else { return [] }
        var entries = try BatchError.file(FileSystem.read(path)).split(separator: 0, omittingEmptySubsequences: false)
        entries.removeLast()  // what follows the last NUL: nothing, or a torn entry
        return try entries.map { bytes throws(BatchError) in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let space = text.firstIndex(of: " "), text.distance(from: text.startIndex, to: space) == 64 else {
                throw .badState(path: path, detail: "not a crash record entry: \(text.prefix(100))")
            }
            return Entry(input: String(text[text.index(after: space)...]), inputSHA256: String(text[..<space]))
        }
    }

    /// Removes the record once the manifest holds its entries.
    static func remove(_ path: String) throws(BatchError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .last(path, "remove") }
    }
}

extension ManifestRecord {
    /// The reason of an input that crashed the previous run. Such a record is kept, and the input not
    /// tried again, until the input's content or the run's settings change.
    package static let crashedReason = "the previous run crashed on it"

    /// The reason of an input found by the walk but gone when it was examined or read.
    package static let disappearedReason = "disappeared during the run"

    /// The `failed` record of an input named by a crash record.
    init(crashed entry: CrashRecord.Entry, operation: Operation) {
        self.init(input: entry.input, status: .failed, reason: Self.crashedReason, inputSHA256: entry.inputSHA256,
                  frames: operation == .protect ? [] : nil)
    }

    var isCrash: Bool { status == .failed && reason == Self.crashedReason }
}

/// Tells the fatal-signal handler (`ccrashguard`) which input the calling thread is processing.
enum CrashGuard {
    /// Installs the process's fatal-signal handler (once; later calls do nothing).
    static func install() {
        ccrashguard_install()
    }

    /// Runs `body` with the calling thread marked as processing `input`: if the process dies meanwhile,
    /// stderr names the input and `record` (nil: none, e.g. a dry run) gets its entry. `body` must not
    /// suspend (the mark belongs to the thread).
    static func processing<Result>(_ input: String, sha256: String, record: String?, _ body: () -> Result) -> Result {
        let entry = CrashRecord.entry(input: input, inputSHA256: sha256)
        return input.withCString { name in
            entry.withUnsafeBufferPointer { entry in
                withOptionalCString(record) { record in
                    ccrashguard_enter(name, record, UnsafeRawPointer(entry.baseAddress!).assumingMemoryBound(to: CChar.self), entry.count)
                    defer { ccrashguard_leave() }
                    return body()
                }
            }
        }
    }

    private static func withOptionalCString<Result>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
        guard let string else { return body(nil) }
        return string.withCString(body)
    }
}

/// Test-only fault injection (documented in docs/DESIGN.md): `DCMVEIL_FAULT_TRAP_ON=NAME` makes the
/// worker hit a real Swift trap when it starts an input whose file name is NAME, so that tests can
/// prove a crash never costs the batch without needing an input that crashes today.
enum FaultInjection {
    static let trapOn: String? = getenv("DCMVEIL_FAULT_TRAP_ON").map { String(cString: $0) }

    /// Traps if `input` is the file named by `DCMVEIL_FAULT_TRAP_ON`.
    static func trapIfAsked(for input: String) {
        guard let name = trapOn, input.split(separator: "/").last.map(String.init) == name else { return }
        fatalError("DCMVEIL_FAULT_TRAP_ON=\(name): deliberate trap (test hook)")
    }
}
