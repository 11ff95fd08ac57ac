import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM stop a run gracefully: no new file is started, the files in flight finish,
/// and the manifest is written. A second signal ends the process at once; the journal still lets
/// the next run pick up exactly where this one stopped.
package final class Interruption: Sendable {
    private let signal = Atomic<Int32>(0)
    private let sources: Mutex<[DispatchSourceSignal]> = Mutex([])

    /// The signal received, or nil while none was.
    package var received: Int32? {
        let value = signal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Nothing installed: for callers that handle signals themselves (and tests).
    package init() {}

    /// Catches SIGINT and SIGTERM for the rest of the process's life.
    package static func installed() -> Interruption {
        let interruption = Interruption()
        interruption.sources.withLock { sources in
            for number in [SIGINT, SIGTERM] {
                Glibc.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [interruption] in
                    if interruption.signal.exchange(number, ordering: .relaxed) != 0 { _exit(128 + number) }
                    let message = "\ndcmveil: \(number == SIGINT ? "interrupt" : "termination") received: finishing the files in flight (again to stop at once)\n"
                    _ = message.withCString { write(2, $0, strlen($0)) }
                }
                source.resume()
                sources.append(source)
            }
        }
        return interruption
    }
}
