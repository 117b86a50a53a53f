import Foundation
import GRDB

/// Settings kept in the database itself, so that every program using the file (the CLI, the service) agrees.
extension Store {
    /// The city extent: where imports expect their reports (`citymap init --extent`).
    public func extent() throws -> BoundingBox {
        try read { db in try Self.extent(db, path: path) }
    }

    static func extent(_ db: Database, path: String) throws -> BoundingBox {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'extent'") else { return .duesseldorf }
        do { return try BoundingBox(parsing: text) } catch {
            throw StorageError.unreadableValue(path: path, table: "settings", column: "extent", value: text)
        }
    }

    public func setExtent(_ extent: BoundingBox) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('extent', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           arguments: [extent.description])
        }
    }
}
