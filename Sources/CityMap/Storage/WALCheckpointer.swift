import CSpatiaLite
import Foundation

/// Moves the WAL into the database file in the background while `citymap serve` runs, so that no request pays
/// for it. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 pages, with an fsync of the
/// database file: on the service that commit's callers waited for it (a p99 of 425 ms in one load test).
///
/// A connection of its own runs a passive checkpoint every `interval`: passive checkpoints never wait for readers
/// or writers and never block them; they copy what no reader still needs, and SQLite starts the WAL over once a
/// checkpoint was complete. The writer connections turn their automatic checkpoint off (`wal_autocheckpoint = 0`).
final class WALCheckpointer: @unchecked Sendable {
    private let path: String
    private let interval: TimeInterval
    private let lock = NSCondition()
    private var stopped = false
    private var thread: Thread?
    /// Frames in the WAL and frames moved into the file, after the latest checkpoint (for tests and logs).
    private(set) var lastResult: (walFrames: Int32, checkpointed: Int32) = (0, 0)

    init(path: String, interval: TimeInterval = 1) {
        self.path = path
        self.interval = interval
    }

    func start() throws {
        var opened: OpaquePointer?
        guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(opened)
            throw StorageError.sqlite(path: path, message: "checkpointer: \(message)")
        }
        sqlite3_busy_timeout(opened, 0)
        nonisolated(unsafe) let connection = opened // used by the thread alone from here on
        let thread = Thread { [self] in
            defer { sqlite3_close(connection) }
            lock.lock()
            while !stopped {
                _ = lock.wait(until: Date().addingTimeInterval(interval))
                if stopped { break }
                lock.unlock()
                var frames: Int32 = 0, moved: Int32 = 0
                if sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &moved) == SQLITE_OK {
                    lastResult = (frames, moved)
                }
                lock.lock()
            }
            lock.unlock()
        }
        thread.name = "citymap WAL checkpointer"
        thread.start()
        self.thread = thread
    }

    /// Stops after the checkpoint under way, if any; returns once the thread's connection is closed.
    func stop() {
        lock.lock()
        stopped = true
        lock.signal()
        lock.unlock()
        while thread?.isFinished == false { Thread.sleep(forTimeInterval: 0.01) }
    }
}
