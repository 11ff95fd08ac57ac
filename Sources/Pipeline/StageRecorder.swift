import VeilCore

/// Times the stages of `protect` and `restore` as they run, for `pipeline-bench`. The pipeline
/// always goes through it; `.off` just runs each stage, so the profile measures the very code that
/// protects and restores instead of a copy of it.
public final class StageRecorder: @unchecked Sendable {  // one protect/restore at a time
    public struct Stage: Sendable {
        public var phase: String
        public var name: String
        public var seconds: Double
        /// Mallocs during the stage, when the caller can count them.
        public var allocations: Int?
    }

    /// Records nothing.
    public static let off = StageRecorder(enabled: false)

    public private(set) var stages: [Stage] = []
    /// Prefixes the stages recorded next ("protect", "restore").
    public var phase = ""
    private let enabled: Bool
    private let allocations: (() -> Int)?
    private let clock = ContinuousClock()

    public convenience init(allocations: (() -> Int)? = nil) {
        self.init(enabled: true, allocations: allocations)
    }

    private init(enabled: Bool, allocations: (() -> Int)? = nil) {
        self.enabled = enabled
        self.allocations = allocations
    }

    /// Runs `body` as the stage `name`.
    public func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
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
        guard enabled else { return }
        stages += timings.map { Stage(phase: phase, name: "  " + $0.stage, seconds: $0.seconds, allocations: nil) }
    }
}
