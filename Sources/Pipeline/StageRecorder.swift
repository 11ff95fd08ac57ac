import VeilCore

/// Times the stages of `protect` and `restore` as they run, for `pipeline-bench`. The pipeline
/// always goes through it — with nil (the default) each stage just runs — so the profile measures
/// the very code that protects and restores instead of a copy of it. One recorder serves one
/// caller at a time: it is not Sendable, and there is no shared instance.
package final class StageRecorder {
    package struct Stage: Sendable {
        package var phase: String
        package var name: String
        package var seconds: Double
        /// Mallocs during the stage, when the caller can count them.
        package var allocations: Int?
    }

    package private(set) var stages: [Stage] = []
    /// Prefixes the stages recorded next ("protect", "restore").
    package var phase = ""
    private let allocations: (() -> Int)?
    private let clock = ContinuousClock()

    package init(allocations: (() -> Int)? = nil) {
        self.allocations = allocations
    }

    /// Runs `body` as the stage `name`.
    package func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let before = allocations?()
        let start = clock.now
        let result = try body()
        let elapsed = start.duration(to: clock.now).components
        let after = allocations?()
        stages.append(Stage(phase: phase, name: name,
                            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18,
                            allocations: before.flatMap { b in after.map { $0 - b } }))
        return result
    }

    /// The engine's own stage timings, indented under the stage that ran the engine.
    func record(engine timings: [StageTiming]) {
        stages += timings.map { Stage(phase: phase, name: "  " + $0.stage, seconds: $0.seconds, allocations: nil) }
    }
}

extension StageRecorder? {
    /// Runs `body`, timed when there is a recorder.
    func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard let recorder = self else { return try body() }
        return try recorder.time(name, body)
    }

    func record(engine timings: [StageTiming]) { self?.record(engine: timings) }
}
