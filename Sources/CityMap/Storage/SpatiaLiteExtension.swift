import CSpatiaLite
import Foundation

/// Loads SpatiaLite into each SQLite connection GRDB opens, and frees SpatiaLite's per-connection caches
/// once the connections are closed (`spatialite_cleanup_ex` must come after `sqlite3_close`).
final class SpatiaLiteExtension: @unchecked Sendable {
    private let lock = NSLock()
    private var caches: [UnsafeMutableRawPointer] = []

    private var busyHandlers: [Unmanaged<BusyHandler>] = []

    /// `spatialite_init_ex` sets a busy timeout of 5 s on the connection, which replaces the handler GRDB
    /// installed: writers gave up after 5 s whatever the configured wait. `busy` is installed again after it.
    func attach(to connection: OpaquePointer?, busy: @escaping @Sendable (Int) -> Bool) throws {
        guard let connection, let cache = spatialite_alloc_connection() else {
            throw StorageError.spatiaLite("cannot allocate a SpatiaLite connection cache")
        }
        spatialite_init_ex(connection, cache, 0)
        let handler = Unmanaged.passRetained(BusyHandler(busy))
        sqlite3_busy_handler(connection, { context, tries in
            Unmanaged<BusyHandler>.fromOpaque(context!).takeUnretainedValue().callback(Int(tries)) ? 1 : 0
        }, handler.toOpaque())
        lock.lock()
        caches.append(cache)
        busyHandlers.append(handler)
        lock.unlock()
    }

    /// Call after every connection that used the caches is closed.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        for cache in caches { spatialite_cleanup_ex(cache) }
        caches.removeAll()
        for handler in busyHandlers { handler.release() }
        busyHandlers.removeAll()
    }
}

/// The wait for other writers, kept alive for SQLite's C callback.
final class BusyHandler: Sendable {
    let callback: @Sendable (Int) -> Bool
    init(_ callback: @escaping @Sendable (Int) -> Bool) { self.callback = callback }
}
