import Foundation

/// Work started on a thread of its own now, whose result is waited for when needed: a store creates its PROJ
/// transformation (PROJ opens and reads proj.db, about 5 ms) while SQLite opens the database on this thread.
final class Ahead<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    /// Waits for the work and returns its value, or throws its error.
    func value() throws -> Value {
        done.wait()
        done.signal() // later calls return at once
        return try result!.get()
    }
}
