import Foundation
import GRDB

/// The citymap database: one SpatiaLite file holding areas, reports and their history.
///
/// One `Store` owns one SQLite connection (a `DatabaseQueue`, rollback journal, so the `.sqlite` file alone is
/// always complete: nothing waits in a `-wal` file). Every write is one transaction.
public final class Store: @unchecked Sendable {
    /// Whether opening may create the file.
    public enum OpenMode: Sendable {
        /// Create the file and its schema if absent (what `citymap init` does).
        case create
        /// The file must already be a citymap database (every other command).
        case existing
    }

    public let path: String
    let queue: DatabaseQueue
    let projector: Projector
    private let spatiaLite: SpatiaLiteExtension
    private let areaLock = NSLock()
    private var cachedAreaIndex: AreaIndex?

    public init(path: String, mode: OpenMode = .existing) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StorageError.folderMissing(folder)
        }
        let exists = FileManager.default.fileExists(atPath: url.path)
        if mode == .existing && !exists { throw StorageError.databaseMissing(path) }

        self.path = path
        projector = try Projector.etrs89UTM32()
        let spatiaLite = SpatiaLiteExtension()
        self.spatiaLite = spatiaLite
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try spatiaLite.attach(to: db.sqliteConnection)
            // Statement journals (inserts that fire SpatiaLite's triggers) stay in memory: on disk they cost
            // a 4 KiB temporary-file write per touched page per row (measured: 24 writes a row on import).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            spatiaLite.release()
            throw StorageError.sqlite(path: path, message: Self.message(error))
        }
        do {
            if exists { try checkIsCityMap() }
            try Migrations.migrator.migrate(queue)
        } catch {
            try? queue.close()
            spatiaLite.release()
            throw Self.wrap(error, path: path)
        }
    }

    deinit {
        try? queue.close()
        spatiaLite.release()
    }

    /// Refuses an SQLite file that holds tables but was never set up by citymap.
    private func checkIsCityMap() throws {
        try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if !tables.isEmpty && !tables.contains("grdb_migrations") { throw StorageError.notCityMap(path) }
        }
    }

    /// Runs a read, turning database errors into one-line `StorageError`s.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw Self.wrap(error, path: path) }
    }

    /// Runs a write in one transaction: all of it lands, or none of it.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch { throw Self.wrap(error, path: path) }
    }

    static func wrap(_ error: Error, path: String) -> Error {
        error is DatabaseError ? StorageError.sqlite(path: path, message: message(error)) : error
    }

    private static func message(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "SQLite error \(e.resultCode.rawValue)" }
        return "\(error)"
    }

    // MARK: Areas cache

    /// The in-memory index of all areas, loaded once and dropped when areas change.
    func areaIndex(_ db: Database) throws -> AreaIndex {
        areaLock.lock()
        defer { areaLock.unlock() }
        if let cachedAreaIndex { return cachedAreaIndex }
        let index = AreaIndex(try Self.fetchAreaShapes(db))
        cachedAreaIndex = index
        return index
    }

    func forgetAreaIndex() {
        areaLock.lock()
        cachedAreaIndex = nil
        areaLock.unlock()
    }
}
