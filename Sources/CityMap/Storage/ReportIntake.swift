import Foundation

/// Takes single reports from many concurrent callers (the service's `POST /api/reports`) and writes them in shared
/// transactions: whatever arrives while one transaction commits goes into the next (group commit). Each report
/// keeps its own savepoint, so one refused report fails alone, and every caller is answered only after the
/// transaction holding its report has committed: an acknowledged report is in the file.
///
/// One dispatch queue drains the waiting reports, so callers wait without holding a thread.
public final class ReportIntake: @unchecked Sendable {
    private let store: Store
    private let queue = DispatchQueue(label: "citymap.report-intake", qos: .userInitiated)
    private let lock = NSLock()
    /// One report waiting for its transaction.
    struct Item {
        let report: NewReport
        let actor: String?
        /// A bearer token to check inside the transaction, and the role it needs.
        let token: String?
        let role: AccessRole
    }

    private var waiting: [(item: Item, continuation: CheckedContinuation<LoggedReport, any Error>)] = []
    private var draining = false
    /// The most reports one transaction takes, so that a burst cannot hold the write lock for long.
    public static let batchLimit = 256

    public init(store: Store) { self.store = store }

    /// Logs a report as `actor`, or, with a token, as the token's holder: an unknown or revoked token, or one whose
    /// role is smaller than `role`, fails with an `AccessError` and writes nothing.
    public func log(_ report: NewReport, actor: String? = nil, token: String? = nil, role: AccessRole = .field) async throws -> LoggedReport {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            waiting.append((Item(report: report, actor: actor, token: token, role: role), continuation))
            let start = !draining
            draining = true
            lock.unlock()
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = Array(waiting.prefix(Self.batchLimit))
            waiting.removeFirst(batch.count)
            if batch.isEmpty {
                draining = false
                lock.unlock()
                return
            }
            lock.unlock()
            let results = store.log(batch.map(\.item))
            for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
        }
    }
}
