import Foundation

/// Spreads work over threads and keeps its order. The calling thread produces items (blocks of rows read from
/// SQLite, which only this thread may step); `states.count` worker threads transform them (rows into GeoJSON),
/// each with a state of its own; the results are consumed in the order of the items, on the calling thread (an
/// output bound to it, such as a database) or on a thread of its own (a file). At most `limit` items are between
/// production and consumption, so memory stays flat however many there are.
///
/// The first error anywhere stops everything: no result is consumed after it, the workers stop, and `run` throws it.
enum OrderedWork {
    /// Where results are consumed.
    enum Consumer {
        /// On the calling thread, between productions: for outputs bound to it (a database).
        case caller
        /// On a thread of its own, beside the producer: for outputs any thread may write (a file, a response),
        /// so that writing does not hold up reading.
        case ownThread
    }

    /// - Parameters:
    ///   - states: one per worker thread, which owns it (a writer's caches): no state is shared between threads.
    ///   - produce: runs on the calling thread; calls `put` for each item, in order.
    ///   - transform: runs on a worker thread with that worker's state.
    ///   - consume: runs once per item, in the order of the items, on the thread `consumer` names.
    static func run<Item, Result, State>(states: [State], limit: Int, consumer: Consumer = .caller,
                                         produce: (_ put: (Item) throws -> Void) throws -> Void,
                                         transform: @escaping (inout State, Item) throws -> Result,
                                         consume: @escaping (Result) throws -> Void) throws {
        let shared = Shared<Item, Result>(limit: max(1, limit))
        let done = DispatchGroup()
        func start(_ body: @escaping @Sendable () -> Void) {
            done.enter()
            let thread = Thread {
                body()
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for state in states {
            let worker = Worker(shared: shared, state: state, transform: transform)
            start { worker.run() }
        }
        let limit = max(1, limit)
        var produced = 0
        do {
            switch consumer {
            case .caller:
                var consumed = 0
                func consumeNext(waiting: Bool) throws -> Bool {
                    guard let result = try shared.result(consumed, waiting: waiting) else { return false }
                    try consume(result)
                    consumed += 1
                    return true
                }
                try produce { item in
                    while produced - consumed >= limit { _ = try consumeNext(waiting: true) }
                    guard shared.items.put((produced, item)) else { throw shared.failure ?? CancellationError() }
                    produced += 1
                    while try consumeNext(waiting: false) {}
                }
                while consumed < produced { _ = try consumeNext(waiting: true) }
            case .ownThread:
                let consuming = Consuming(shared: shared, consume: consume)
                start { consuming.run() }
                try produce { item in
                    try shared.waitForRoom(produced: produced, limit: limit)
                    guard shared.items.put((produced, item)) else { throw shared.failure ?? CancellationError() }
                    produced += 1
                }
                shared.produced(produced)
                try shared.waitForRoom(produced: produced, limit: 1)
            }
            shared.items.finish()
        } catch {
            shared.fail(error)
        }
        done.wait()
        if let failure = shared.failure { throw failure }
    }

    /// Consumes the results in order on a thread of its own until the producer's count is reached.
    private final class Consuming<Item, Result>: @unchecked Sendable {
        let shared: Shared<Item, Result>
        let consume: (Result) throws -> Void

        init(shared: Shared<Item, Result>, consume: @escaping (Result) throws -> Void) {
            self.shared = shared
            self.consume = consume
        }

        func run() {
            var sequence = 0
            do {
                while let result = try shared.nextForConsumer(sequence) {
                    try consume(result)
                    sequence += 1
                    shared.consumed(sequence)
                }
            } catch {
                shared.fail(error)
            }
        }
    }

    /// The items on their way to the workers (a `HandOver`, never full: the producer keeps at most `limit` in
    /// flight) and the results by their item's number.
    private final class Shared<Item, Result>: @unchecked Sendable {
        let items: HandOver<(Int, Item)>
        private let condition = NSCondition()
        private var results: [Int: Result] = [:]
        private var error: (any Error)?

        init(limit: Int) { items = HandOver(capacity: limit) }

        func deliver(_ sequence: Int, _ result: Result) {
            condition.lock()
            results[sequence] = result
            condition.broadcast()
            condition.unlock()
        }

        /// The result of item `sequence`, waiting for it or not; throws the first error once something failed.
        func result(_ sequence: Int, waiting: Bool) throws -> Result? {
            condition.lock()
            defer { condition.unlock() }
            while waiting && results[sequence] == nil && error == nil { condition.wait() }
            if let error { throw error }
            return results.removeValue(forKey: sequence)
        }

        // The consumer on its own thread: how many results it has consumed, how many there will be.
        private var consumedCount = 0
        private var total: Int?

        /// The producer waits while `limit` or more items are between it and the consumer.
        func waitForRoom(produced: Int, limit: Int) throws {
            condition.lock()
            defer { condition.unlock() }
            while produced - consumedCount >= limit && error == nil { condition.wait() }
            if let error { throw error }
        }

        func consumed(_ count: Int) {
            condition.lock()
            consumedCount = count
            condition.broadcast()
            condition.unlock()
        }

        func produced(_ count: Int) {
            condition.lock()
            total = count
            condition.broadcast()
            condition.unlock()
        }

        /// The result of item `sequence` once it is there; nil when there is none (all consumed).
        func nextForConsumer(_ sequence: Int) throws -> Result? {
            condition.lock()
            defer { condition.unlock() }
            while results[sequence] == nil && error == nil && (total ?? Int.max) > sequence { condition.wait() }
            if let error { throw error }
            return results.removeValue(forKey: sequence)
        }

        var failure: (any Error)? {
            condition.lock()
            defer { condition.unlock() }
            return error
        }

        /// Records the first error and wakes every thread that waits.
        func fail(_ error: any Error) {
            condition.lock()
            if self.error == nil { self.error = error }
            condition.broadcast()
            condition.unlock()
            items.cancel()
        }
    }

    private final class Worker<Item, Result, State>: @unchecked Sendable {
        let shared: Shared<Item, Result>
        var state: State
        let transform: (inout State, Item) throws -> Result

        init(shared: Shared<Item, Result>, state: State, transform: @escaping (inout State, Item) throws -> Result) {
            self.shared = shared
            self.state = state
            self.transform = transform
        }

        func run() {
            while let (sequence, item) = shared.items.take() {
                do {
                    shared.deliver(sequence, try transform(&state, item))
                } catch {
                    shared.fail(error)
                    return
                }
            }
        }
    }
}

/// Values handed back for reuse between threads (an export's row blocks and byte buffers): memory allocated once
/// and filled again, instead of large allocations freed on another thread than the one that made them, which
/// glibc keeps per thread and the kernel faults in afresh (measured: 160 MB and a second of system time for an
/// export of 1,000,000 reports, against 70 MB with reuse).
final class Recycler<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [Value] = []

    /// A value handed back earlier, or nil.
    func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast()
    }

    func give(_ value: Value) {
        lock.lock()
        spare.append(value)
        lock.unlock()
    }
}
