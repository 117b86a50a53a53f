import Foundation
import GRDB

extension Store {
    /// All walks, newest first, with the number of reports linked to each.
    public func walks() throws -> [Walk] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT w.*, (SELECT COUNT(*) FROM reports r WHERE r.walk_id = w.id) AS reports
                FROM walks w ORDER BY w.started_at DESC, w.id DESC
                """).map { row in
                Walk(id: row["id"], name: row["name"], team: row["team"],
                     startedAt: (row["started_at"] as String?).flatMap { Timestamp.parse($0) },
                     endedAt: (row["ended_at"] as String?).flatMap { Timestamp.parse($0) },
                     length: Meters(row["length_m"]),
                     districts: (row["districts"] as String).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                     source: row["source"], reportCount: row["reports"])
            }
        }
    }
}
