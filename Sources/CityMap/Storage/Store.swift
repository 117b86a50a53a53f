import Foundation
import GRDB
import CSQLite

/// The citymap database: one SpatiaLite file holding areas, reports and their history.
///
/// Opened `.single` (the command line), a `Store` owns one connection with a rollback journal, so the `.sqlite`
/// file alone is always complete. Opened `.shared` (`citymap serve`), it runs in WAL mode with a writer and a pool
/// of readers, so readers never wait for a writer; `close()` checkpoints and turns the file back into a rollback
/// journal file, complete on its own for QGIS and for copies. Every write is one transaction.
public final class Store: @unchecked Sendable {
    /// Whether opening may create the file.
    public enum OpenMode: Sendable {
        /// Create the file and its schema if absent (what `citymap init` does).
        case create
        /// The file must already be a citymap database (every other command).
        case existing
    }

    /// How the file is shared.
    public enum Access: Sendable {
        /// One connection, rollback journal: the command line.
        case single
        /// WAL with concurrent readers: a long-running service.
        case shared
    }

    /// What a store opens and makes on a thread of its own while SQLite opens the file, for the command about to
    /// use it; whatever is left out is made when first needed. A single connection only: a shared store (the
    /// server) loads SpatiaLite into each connection as it opens.
    public struct Preload: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// PROJ and the EPSG:4326 → EPSG:25832 projection (`citymap list --near` needs only this).
        public static let projection = Preload(rawValue: 1)
        /// SpatiaLite and its cache for the connection (every write needs it: the geometry triggers call it).
        public static let spatiaLite = Preload(rawValue: 2)
        public static let all: Preload = [.projection, .spatiaLite]
    }

    /// Starts opening SpatiaLite and PROJ, and SpatiaLite's cache for a connection, on a thread of their own before
    /// any store is opened: for a process that will certainly write (a writing command of the command line, before
    /// its arguments are parsed). The first store opened takes what was made.
    public static func startOpeningSpatiaLite() {
        SpatiaLiteExtension.startEarly()
    }

    /// Waits until what `startOpeningSpatiaLite()` started is done, if no store took it: call before the process
    /// exits (on an error before any store opened), which must not happen while PROJ or SpatiaLite is in use.
    public static func finishOpeningSpatiaLite() {
        SpatiaLiteExtension.finishEarly()
    }

    public let path: String
    public let access: Access
    let writer: any DatabaseWriter
    /// The projection made while the file opened; nil unless preloaded, and then made on first use.
    private let readyProjector: Projector?
    private var lateProjector: Projector?
    private let spatiaLite: SpatiaLiteExtension
    /// False for a single connection until its first `read` or `write`, which loads SpatiaLite into it.
    private var spatiaLiteAttached: Bool
    private let attachSpatiaLite: @Sendable (Database) throws -> Void
    private let cacheLock = NSLock()
    private var cachedAreaIndex: AreaIndex?
    private var cachedTaxonomy: Taxonomy?
    private var responsibilities: Responsibilities?
    private var reportIntake: ReportIntake?
    private var closed = false

    /// `busyTimeout` is how long a command waits for another writer (an import) before it gives up having written
    /// nothing; `onWait` is called when a wait passes one second.
    /// `preload` says what to open ahead (`Preload`): a plain export needs neither SpatiaLite nor PROJ
    /// (`plainRead`), and loading SpatiaLite into the connection and making the projection took 19 ms of the 46 ms
    /// an export of an empty file took.
    public init(path: String, mode: OpenMode = .existing, access: Access = .single, busyTimeout: TimeInterval = 10,
                onWait: (@Sendable () -> Void)? = nil, preload: Preload = .all) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StorageError.folderMissing(folder)
        }
        var info = stat()
        let exists = stat(url.path, &info) == 0
        if exists && (info.st_mode & S_IFMT) != S_IFREG { throw StorageError.notRegularFile(path) }
        if mode == .existing && !exists { throw StorageError.databaseMissing(path) }
        if !exists {
            // A new database holds reporters' contacts: only its owner may read it. SQLite gives its journals
            // the database file's mode.
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw StorageError.sqlite(path: path, message: String(cString: strerror(errno))) }
            Glibc.close(fd)
        }

        _ = Self.sqliteConfigured
        self.path = path
        self.access = access
        let preload = access == .single ? preload : .projection
        // PROJ and SpatiaLite are opened (`CGeoLibraries`: about fifty shared objects, 15 ms), the connection's
        // SpatiaLite cache and the projection made while SQLite opens the database and reads its schema here.
        let spatiaLite = SpatiaLiteExtension()
        self.spatiaLite = spatiaLite
        let projection = preload.isEmpty ? nil : Ahead { () throws -> Projector? in
            if preload.contains(.spatiaLite) { try spatiaLite.prepare() }
            return preload.contains(.projection) ? try Projector.etrs89UTM32() : nil
        }
        // The single connection gets SpatiaLite at its first read or write, after the schema was read without it;
        // each connection of a shared store gets it as it opens.
        let attachOnOpen = access == .shared
        spatiaLiteAttached = attachOnOpen
        var configuration = Configuration()
        let busy = BusyWait.handler(limit: busyTimeout, onWait: onWait)
        let attach: @Sendable (Database) throws -> Void = { db in try spatiaLite.attach(to: db.sqliteConnection, busy: busy) }
        attachSpatiaLite = attach
        configuration.busyMode = .callback(busy)
        configuration.prepareDatabase { db in
            if attachOnOpen { try attach(db) }
            // Statement journals (inserts that fire SpatiaLite's triggers) stay in memory: on disk they cost
            // a 4 KiB temporary-file write per touched page per row (measured: 24 writes a row on import).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Shared: checkpoint every 256 pages (1 MB) instead of SQLite's 1,000. Under a steady write load the WAL
            // must restart often, or every page lookup searches a growing WAL index: with checkpoints only on a
            // background connection (which never caught up) it reached 2 GB in 60 s and the rate fell from 2,570
            // to 1,929 reports/s; inline every 256 pages it stays at 1.6 MB, each checkpoint about a millisecond.
            if access == .shared { try db.execute(sql: "PRAGMA wal_autocheckpoint = 256") }
        }
        let writer: any DatabaseWriter
        do {
            switch access {
            case .single: writer = try DatabaseQueue(path: path, configuration: configuration)
            case .shared: writer = try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            _ = try? projection?.value() // the cache it may be making is released with the others
            spatiaLite.release()
            throw Self.wrap(error, path: path)
        }
        do {
            if exists { try Self.checkIsCityMap(writer, path: path) }
            // Migrations need SpatiaLite: a single connection that has some to run loads it first.
            if !attachOnOpen, try !writer.read({ db in try Migrations.migrator.hasCompletedMigrations(db) }) {
                try writer.writeWithoutTransaction(attach)
                spatiaLiteAttached = true
            }
            try Migrations.migrator.migrate(writer)
            readyProjector = try projection?.value() ?? nil
        } catch {
            try? writer.close()
            _ = try? projection?.value()
            spatiaLite.release()
            if !exists { unlink(url.path) }
            throw Self.wrap(error, path: path)
        }
        self.writer = writer
    }

    /// The database and its journals, which no output of a command may replace.
    public var protectedFiles: [OutputTarget.Protected] {
        ["", "-wal", "-shm", "-journal"].map { OutputTarget.Protected(path + $0, role: "the database") }
    }

    deinit {
        if !closed { try? writer.close() }
        spatiaLite.release()
    }

    /// Ends a shared session: writes everything from the WAL into the file and, when no other program has it
    /// open, turns the file back into a rollback journal file, so that the `.sqlite` alone is complete.
    /// Returns false when another program kept the file in WAL mode (its `-wal` is then empty).
    @discardableResult
    public func close() throws -> Bool {
        guard !closed else { return true }
        closed = true
        var single = true
        do {
            if access == .shared {
                _ = try writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                try writer.close()
                var configuration = Configuration()
                configuration.busyMode = .timeout(2)
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                single = (try? queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }) == "delete"
                try queue.close()
            } else {
                try writer.close()
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
        return single
    }

    /// Refuses an SQLite file that holds tables but was never set up by citymap.
    private static func checkIsCityMap(_ writer: any DatabaseWriter, path: String) throws {
        try writer.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            if !tables.isEmpty && !tables.contains("grdb_migrations") { throw StorageError.notCityMap(path) }
        }
    }

    /// Runs a read, turning database errors into one-line `StorageError`s. In shared mode it reads a snapshot
    /// and never waits for the writer.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try plainRead { db in
            try loadSpatiaLite(db)
            return try body(db)
        }
    }

    /// A read that may run without SpatiaLite (it is not loaded for it): for SQL of SQLite's own functions only.
    func plainRead<T>(_ body: (Database) throws -> T) throws -> T {
        try wrappingErrors { try writer.read(body) }
    }

    /// Runs an access to the database, turning its errors into one-line `StorageError`s naming the file.
    private func wrappingErrors<T>(_ access: () throws -> T) throws -> T {
        do { return try access() } catch { throw Self.wrap(error, path: path) }
    }

    /// Loads SpatiaLite into the single connection before its first read or write that may need it.
    func loadSpatiaLite(_ db: Database) throws {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        guard !spatiaLiteAttached else { return }
        try attachSpatiaLite(db)
        spatiaLiteAttached = true
    }

    /// The EPSG:4326 → EPSG:25832 projection: made while the file opened, or on first use.
    var projector: Projector {
        get throws {
            if let readyProjector { return readyProjector }
            return try cached(\.lateProjector) { try Projector.etrs89UTM32() }
        }
    }

    /// Runs a write in one transaction: all of it lands, or none of it.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try wrappingErrors {
            try writer.write { db in
                try loadSpatiaLite(db)
                return try body(db)
            }
        }
    }

    /// Runs a bulk write in one transaction with SQLite's foreign-key and CHECK constraints set aside, for an import
    /// whose every value holds them by construction: categories come from the taxonomy read from `categories`, areas
    /// from the area index read from `areas`, statuses, severities and event kinds from Swift enums, events belong to
    /// the rows just inserted. Checked per row they cost a lookup per reference, and the CHECKs' `IN` lists an
    /// ephemeral table each; without them a single-row insert also needs no statement journal (with `INSERT OR FAIL`).
    /// Both are back on afterwards, whether the write landed or not (`BulkWriteTests`).
    func writeInBulk<T>(_ body: (Database) throws -> T) throws -> T {
        try wrappingErrors {
            try writer.writeWithoutTransaction { db in
                try loadSpatiaLite(db)
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                defer {
                    try? db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
                    try? db.execute(sql: "PRAGMA foreign_keys = ON")
                }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// SQLite in multi-thread mode and without memory statistics, set once before its first use in the process
    /// (PROJ opens proj.db through the same library, so this comes before the projection is made): each call on a
    /// connection then takes no mutex, and each allocation no global one. GRDB uses a connection from one thread
    /// at a time, which is all multi-thread mode asks. Measured: 100,000 reports imported 1.47 → 1.41 s (median of
    /// five). False when SQLite was already in use (in tests, say): then it stays serialized, which is only slower.
    static let sqliteConfigured: Bool = citymap_sqlite3_configure() == 0

    static func wrap(_ error: Error, path: String) -> Error {
        switch error {
        case let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED:
            return StorageError.busy(path: path)
        case let e as DatabaseError:
            return StorageError.sqlite(path: path, message: e.message ?? "SQLite error \(e.resultCode.rawValue)")
        case let e as StoredValueError:
            let parts = e.column.split(separator: ".", maxSplits: 1).map(String.init)
            return StorageError.unreadableValue(path: path, table: parts.first ?? "", column: parts.last ?? e.column, value: e.value)
        default:
            return error
        }
    }

    // MARK: Caches

    /// The in-memory index of all areas, loaded once and dropped when areas change.
    func areaIndex(_ db: Database) throws -> AreaIndex {
        try cached(\.cachedAreaIndex) { AreaIndex(try Self.fetchAreaShapes(db)) }
    }

    /// The stored taxonomy, loaded once and dropped when categories change.
    func cachedTaxonomy(_ db: Database) throws -> Taxonomy {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let cachedTaxonomy { return cachedTaxonomy }
        let taxonomy = try Self.taxonomy(db)
        if !taxonomy.categories.isEmpty { cachedTaxonomy = taxonomy }
        return taxonomy
    }

    /// The taxonomy if it was read already.
    var knownTaxonomy: Taxonomy? {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        return cachedTaxonomy
    }

    /// The group-commit queue of `submit`, made on first use.
    var intake: ReportIntake {
        cached(\.reportIntake) { ReportIntake(store: self) }
    }

    /// The shipped responsibilities, read once.
    func cachedResponsibilities() throws -> Responsibilities {
        try cached(\.responsibilities) { try Responsibilities.shipped() }
    }

    /// The value kept in `slot`, made by `make` on first use, under the caches' lock.
    private func cached<T>(_ slot: ReferenceWritableKeyPath<Store, T?>, _ make: () throws -> T) rethrows -> T {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let kept = self[keyPath: slot] { return kept }
        let made = try make()
        self[keyPath: slot] = made
        return made
    }

    func forgetCaches() {
        cacheLock.lock()
        cachedAreaIndex = nil
        cachedTaxonomy = nil
        cacheLock.unlock()
    }
}
