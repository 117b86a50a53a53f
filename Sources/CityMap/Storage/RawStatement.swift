import CSQLite
import GRDB

/// A prepared SQLite statement driven through the C API, for the per-row hot path of bulk imports, where
/// building GRDB `StatementArguments` for every row costs more than the insert. It owns its handle and
/// finalizes it in `deinit`; every return code is checked.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    /// False when GRDB's statement cache owns the handle (`init(cached:)`).
    private let owned: Bool
    /// Keeps a borrowed statement alive as long as this wrapper.
    private let borrowed: Statement?
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
        owned = true
        borrowed = nil
    }

    /// Drives a statement from GRDB's per-connection cache: prepared (and SpatiaLite's triggers compiled) once per
    /// connection, not once per write. Measured on `POST /api/reports`: preparing was the largest single cost.
    init(cached sql: String, _ db: Database) throws {
        guard let connection = db.sqliteConnection else { throw StorageError.sqlite(path: "", message: "the database is closed") }
        let statement = try db.cachedStatement(sql: sql)
        self.connection = connection
        handle = statement.sqliteStatement
        self.sql = sql
        owned = false
        borrowed = statement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    deinit { if owned { sqlite3_finalize(handle) } }

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

/// Reading result columns straight from SQLite's memory, for exports that stream millions of rows: text is
/// handed over as bytes (valid until the next step), so no String is made for a value that is only copied out.
struct RowReader {
    let handle: OpaquePointer

    /// Steps a GRDB-prepared (and bound) statement; false when done.
    func step(connection: OpaquePointer?) throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw StorageError.sqlite(path: "", message: connection.map { String(cString: sqlite3_errmsg($0)) } ?? "step failed")
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column as a String, or nil for NULL.
    func string(_ column: Int32) -> String? {
        text(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The column's UTF-8 bytes, or nil for NULL.
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }
}
