import Foundation

/// Calls a `ScanObserver` one event at a time, whichever thread reports: the rules of the engine's
/// second phase run concurrently, and nearest-record passes report from their worker threads.
final class SerialObserver: @unchecked Sendable {
    private let lock = NSLock()
    private let observer: ScanObserver

    /// Wraps `observer`; every call to it goes through `report(_:)`.
    init(_ observer: @escaping ScanObserver) {
        self.observer = observer
    }

    /// Tells the observer `event`, after any call in progress on another thread has returned.
    func report(_ event: ScanEvent) {
        lock.lock()
        defer { lock.unlock() }
        observer(event)
    }
}

/// Hands out the positions `0..<count` in increasing order, each once, to whichever worker asks
/// next (dynamic scheduling: a slow rule keeps one worker busy while the others go on).
///
/// After a failure at position `k`, positions after `k` are no longer handed out: a sequential run
/// would have stopped there. Positions before `k` were all handed out already (the order is
/// increasing), so they finish and a lower failure among them is still seen.
final class RuleQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextPosition = 0
    private var end: Int

    /// A queue of the positions `0..<count`.
    init(count: Int) {
        end = count
    }

    /// The next position to run, or `nil` when every position (before any failure) is handed out.
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextPosition < end else { return nil }
        nextPosition += 1
        return nextPosition - 1
    }

    /// Records that the rule at `position` failed: nothing after it is handed out any more.
    func failed(at position: Int) {
        lock.lock()
        defer { lock.unlock() }
        end = min(end, position + 1)
    }
}
