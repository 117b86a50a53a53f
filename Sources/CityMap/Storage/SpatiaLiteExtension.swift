import CSpatiaLite
import Foundation

/// Loads SpatiaLite into each SQLite connection GRDB opens, and frees SpatiaLite's per-connection caches
/// once the connections are closed (`spatialite_cleanup_ex` must come after `sqlite3_close`).
final class SpatiaLiteExtension: @unchecked Sendable {
    private let lock = NSLock()
    private var caches: [UnsafeMutableRawPointer] = []

    func attach(to connection: OpaquePointer?) throws {
        guard let connection, let cache = spatialite_alloc_connection() else {
            throw StorageError.spatiaLite("cannot allocate a SpatiaLite connection cache")
        }
        spatialite_init_ex(connection, cache, 0)
        lock.lock()
        caches.append(cache)
        lock.unlock()
    }

    /// Call after every connection that used the caches is closed.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        for cache in caches { spatialite_cleanup_ex(cache) }
        caches.removeAll()
    }
}
