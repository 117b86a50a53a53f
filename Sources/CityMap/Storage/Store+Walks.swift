import Foundation
import GRDB

extension Store {
    /// All walks, newest first, with the number of reports linked to each.
    public func walks() throws -> [Walk] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT w.*, (SELECT COUNT(*) FROM reports r WHERE r.walk_id = w.id) AS reports
                FROM walks w ORDER BY w.started_at DESC, w.id DESC
                """).map { try WalkRecord(row: $0).walk }
        }
    }
}
