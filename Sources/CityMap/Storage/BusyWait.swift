import Foundation
import GRDB

/// How a connection waits for another writer: it retries on a back-off (1 ms growing to 100 ms) until `limit`,
/// then gives up with `StorageError.busy`, which says that nothing was written. After the first second of
/// waiting it calls `onWait` once per wait, so a terminal can say why nothing seems to happen.
///
/// SQLite's own busy timeout cannot tell anybody that it is waiting; this handler can.
enum BusyWait {
    /// Milliseconds slept before each retry; after the table, 100 ms each.
    private static let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]

    /// Milliseconds slept before the retry numbered `tries` (from 0).
    static func slept(before tries: Int) -> Int {
        let fromTable = delays.prefix(tries).reduce(0, +)
        return fromTable + max(0, tries - delays.count) * 100
    }

    static func handler(limit: TimeInterval, onWait: (@Sendable () -> Void)?) -> Database.BusyCallback {
        let limitMilliseconds = Int((limit * 1000).rounded())
        return { tries in
            let waited = slept(before: tries)
            guard waited < limitMilliseconds else { return false }
            if let onWait, waited < 1000, waited + delay(tries) >= 1000 { onWait() }
            usleep(useconds_t(min(delay(tries), limitMilliseconds - waited) * 1000))
            return true
        }
    }

    private static func delay(_ tries: Int) -> Int { tries < delays.count ? delays[tries] : 100 }
}
