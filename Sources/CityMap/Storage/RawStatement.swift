import CSpatiaLite
import GRDB

/// A prepared SQLite statement driven through the C API, for the per-row hot path of bulk imports, where
/// building GRDB `StatementArguments` for every row costs more than the insert. It owns its handle and
/// finalizes it in `deinit`; every return code is checked.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    /// SQLITE_TRANSIENT: SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw StorageError.sqlite(path: "", message: "the database is closed") }
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw StorageError.sqlite(path: String(cString: sqlite3_db_filename(connection, "main")),
                                      message: "\(String(cString: sqlite3_errmsg(connection))) in \(sql)")
        }
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        var copy = value
        copy.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs the statement to completion (no rows expected) and resets it for the next row.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw StorageError.sqlite(path: String(cString: sqlite3_db_filename(connection, "main")),
                                      message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Rows changed by the last `run()`.
    var changes: Int32 { sqlite3_changes(connection) }
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }
}
