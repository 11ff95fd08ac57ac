/// Time spent in one stage of protect or restore.
package struct StageTiming: Sendable, Equatable {
    package var stage: String
    package var seconds: Double
}

/// Accumulates wall-clock time per named stage, in first-use order.
struct Stopwatch {
    private(set) var stages: [StageTiming] = []
    private let clock = ContinuousClock()

    mutating func time<T, E>(_ stage: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = clock.now
        defer {
            let elapsed = start.duration(to: clock.now).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
            if let index = stages.firstIndex(where: { $0.stage == stage }) {
                stages[index].seconds += seconds
            } else {
                stages.append(StageTiming(stage: stage, seconds: seconds))
            }
        }
        return try body()
    }
}
