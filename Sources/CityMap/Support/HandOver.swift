import Foundation

/// Hands values from one thread to another through a queue of at most `capacity` values: the producer waits while
/// it is full, the consumer while it is empty. Either side may stop the other: `cancel()` wakes both, after which
/// `put` returns false and `take` nil. (An import parses on one core while SQLite writes on the other.)
final class HandOver<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Value] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Waits for room; false when the consumer has stopped.
    func put(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(value)
        condition.broadcast()
        return true
    }

    /// The producer has nothing more.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next value, waiting for it; nil at the end or once cancelled.
    func take() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished && !cancelled { condition.wait() }
        guard !cancelled, !queue.isEmpty else { return nil }
        let value = queue.removeFirst()
        condition.broadcast()
        return value
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
