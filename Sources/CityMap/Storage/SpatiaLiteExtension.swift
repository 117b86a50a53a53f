import CGeoLibraries
import CSQLite
import Foundation

/// Loads SpatiaLite into each SQLite connection GRDB opens, and frees SpatiaLite's per-connection caches
/// once the connections are closed (`spatialite_cleanup_ex` must come after `sqlite3_close`).
final class SpatiaLiteExtension: @unchecked Sendable {
    private let lock = NSLock()
    private var caches: [UnsafeMutableRawPointer] = []

    /// A cache made ahead of the connection that will take it (`prepare()`).
    private var spare: UnsafeMutableRawPointer?
    private var busyHandlers: [Unmanaged<BusyHandler>] = []

    /// Opens SpatiaLite and makes the cache of the next connection, which needs no connection yet: on another
    /// thread while SQLite opens the file. (SpatiaLite's cache would open PROJ's proj.db for its own PROJ context,
    /// 22 million instructions of a `citymap log`'s 138; `CGeoLibraries` gives that context no data folder.)
    func prepare() throws {
        try Self.load()
        guard let cache = try madeCache() else { return }
        lock.lock()
        defer { lock.unlock() }
        if spare == nil { spare = cache } // else it stays among the caches, released with them
    }

    private static let earlyLock = NSLock()
    /// The libraries' opening and a connection cache, started before any store exists (`startEarly()`).
    nonisolated(unsafe) private static var early: Ahead<UnsafeMutableRawPointer?>?

    /// Starts opening SpatiaLite and making a connection cache on a thread of its own, for a process that will
    /// certainly need them (the command line, before it parses a writing command's arguments); the first store to
    /// prepare or attach takes the cache. A second call does nothing.
    static func startEarly() {
        earlyLock.lock()
        defer { earlyLock.unlock() }
        guard early == nil else { return }
        early = Ahead { () throws -> UnsafeMutableRawPointer? in
            try load()
            return citymap_spatialite_alloc_connection()
        }
    }

    /// Waits for the early opening if one was started and no store took it. A process must not exit while another
    /// thread is inside PROJ or SpatiaLite: exit runs their C++ destructors under it (a `log` into a missing folder
    /// aborted with std::length_error or a double free in 1 of 60 runs).
    static func finishEarly() {
        earlyLock.lock()
        let pending = early
        earlyLock.unlock()
        _ = try? pending?.value()
    }

    private static func takeEarly() -> Ahead<UnsafeMutableRawPointer?>? {
        earlyLock.lock()
        defer { earlyLock.unlock() }
        defer { early = nil }
        return early
    }

    /// `spatialite_init_ex` sets a busy timeout of 5 s on the connection, which replaces the handler GRDB
    /// installed: writers gave up after 5 s whatever the configured wait. `busy` is installed again after it.
    func attach(to connection: OpaquePointer?, busy: @escaping @Sendable (Int) -> Bool) throws {
        try Self.load()
        guard let connection, let cache = try takeSpare() ?? madeCache() else {
            throw StorageError.spatiaLite("cannot allocate a SpatiaLite connection cache")
        }
        citymap_spatialite_init_ex(connection, cache, 0)
        let handler = Unmanaged.passRetained(BusyHandler(busy))
        sqlite3_busy_handler(connection, { context, tries in
            Unmanaged<BusyHandler>.fromOpaque(context!).takeUnretainedValue().callback(Int(tries)) ? 1 : 0
        }, handler.toOpaque())
        lock.lock()
        busyHandlers.append(handler)
        lock.unlock()
    }

    private func takeSpare() -> UnsafeMutableRawPointer? {
        lock.lock()
        defer { lock.unlock() }
        defer { spare = nil }
        return spare
    }

    /// The early cache if one was started, else a new one; kept to be released with the others.
    private func madeCache() throws -> UnsafeMutableRawPointer? {
        guard let cache = try Self.takeEarly()?.value() ?? citymap_spatialite_alloc_connection() else { return nil }
        lock.lock()
        caches.append(cache)
        lock.unlock()
        return cache
    }

    /// Opens SpatiaLite (and PROJ) on the first use in the process (`CGeoLibraries`: not linked, so that commands
    /// that need neither start without them). Later and concurrent calls wait for the first.
    static func load() throws {
        if let reason = citymap_load_spatialite() { throw StorageError.spatiaLite(String(cString: reason)) }
    }

    /// Call after every connection that used the caches is closed.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        for cache in caches { citymap_spatialite_cleanup_ex(cache) }
        caches.removeAll()
        spare = nil
        for handler in busyHandlers { handler.release() }
        busyHandlers.removeAll()
    }
}

/// The wait for other writers, kept alive for SQLite's C callback.
final class BusyHandler: Sendable {
    let callback: @Sendable (Int) -> Bool
    init(_ callback: @escaping @Sendable (Int) -> Bool) { self.callback = callback }
}
