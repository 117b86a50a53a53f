import Foundation
import GRDB

extension Store {
    /// How close an open report of the same category must be for `log` to call it a likely duplicate.
    public static let duplicateRadius = Meters(25)

    /// Stores a new report: validates its category against the stored taxonomy, projects it with PROJ, places it
    /// in its district and square, records the creation in the history, and names likely duplicates.
    public func log(_ new: NewReport, actor: String? = nil, now: Date = Date()) throws -> LoggedReport {
        try write { db in
            let taxonomy = try Self.taxonomy(db)
            let category = try taxonomy.resolve(new.category.description)
            let candidates = try likelyDuplicates(category: category, position: new.position, db: db, taxonomy: taxonomy)
            var new = new
            new.category = category
            let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), now: now)
            guard case .inserted(let id, _) = try writer.insert([new], actor: actor)[0] else {
                throw StorageError.sqlite(path: path, message: "a report from \(new.source) with id \(new.externalID ?? "?") is already stored")
            }
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return LoggedReport(report: report, likelyDuplicates: candidates)
        }
    }

    /// Open reports of the same category within `duplicateRadius` of a stored report, logged before it, nearest first.
    public func likelyDuplicates(of id: Int64) throws -> [Neighbour] {
        try read { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return try likelyDuplicates(category: report.category, position: report.position, db: db, taxonomy: Self.taxonomy(db))
                .filter { $0.report.id < id }
        }
    }

    func likelyDuplicates(category: CategoryCode, position: Coordinate, db: Database, taxonomy: Taxonomy) throws -> [Neighbour] {
        var nearby = ReportFilter()
        nearby.categories = [category.description]
        nearby.statuses = ReportStatus.openStatuses
        nearby.near = (position, Self.duplicateRadius)
        let projected = try projector.project(position)
        return try reports(matching: nearby, db: db, taxonomy: taxonomy)
            .map { Neighbour(report: $0, distance: $0.projected.distance(to: projected)) }
            .sorted { $0.distance < $1.distance }
    }

    /// One report, or an error naming the id when there is none.
    public func report(id: Int64) throws -> Report {
        guard let report = try read({ db in try Self.report(id: id, db: db) }) else { throw DomainError.unknownReport(id) }
        return report
    }

    static func report(id: Int64, db: Database) throws -> Report? {
        try Row.fetchOne(db, sql: "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from) WHERE r.id = ?", arguments: [id])
            .map(ReportQuery.report(from:))
    }

    /// Reports that pass the filter, oldest observation first (ties by id).
    public func reports(matching filter: ReportFilter = ReportFilter()) throws -> [Report] {
        try read { db in try reports(matching: filter, db: db, taxonomy: Self.taxonomy(db)) }
    }

    func reports(matching filter: ReportFilter, db: Database, taxonomy: Taxonomy) throws -> [Report] {
        let query = try ReportQuery(filter, db: db, taxonomy: taxonomy, projector: projector)
        var sql = "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from)\(query.whereClause) ORDER BY r.observed_at, r.id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        return try Row.fetchAll(db, sql: sql, arguments: query.arguments).map(ReportQuery.report(from:))
    }

    /// The status history of a report, oldest first.
    public func history(of id: Int64) throws -> [ReportEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM report_events WHERE report_id = ? ORDER BY at, id", arguments: [id]).map { row in
                ReportEvent(id: row["id"], reportID: row["report_id"],
                            at: Timestamp.parse(row["at"] as String) ?? Date(timeIntervalSince1970: 0),
                            actor: row["actor"], from: (row["from_status"] as String?).flatMap(ReportStatus.init(rawValue:)),
                            to: ReportStatus(rawValue: row["to_status"]) ?? .open, note: row["note"])
            }
        }
    }

    /// Moves a report along its lifecycle and writes the change to the history, in one transaction.
    /// A duplicate must name its original (`duplicateOf`), which must exist; a duplicate of a duplicate links
    /// to the first original.
    @discardableResult
    public func changeStatus(of id: Int64, to target: ReportStatus, note: String? = nil, actor: String? = nil,
                             duplicateOf original: Int64? = nil, now: Date = Date()) throws -> Report {
        try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            guard report.status.canMove(to: target) else {
                throw DomainError.illegalTransition(report: id, from: report.status, to: target)
            }
            var root: Int64?
            if target == .duplicate {
                guard let original else { throw DomainError.duplicateNeedsOriginal(report: id) }
                guard original != id else { throw DomainError.duplicateOfItself(id) }
                guard let originalReport = try Self.report(id: original, db: db) else { throw DomainError.unknownReport(original) }
                root = originalReport.duplicateOf ?? original
                guard root != id else { throw DomainError.duplicateOfItself(id) }
            } else if original != nil {
                throw DomainError.originalOnlyForDuplicate
            }
            let stamp = Timestamp.utc(now)
            try db.execute(sql: "UPDATE reports SET status = ?, duplicate_of = ?, updated_at = ? WHERE id = ?",
                           arguments: [target.rawValue, root, stamp, id])
            var text = note
            if let root { text = ["duplicate of #\(root)", note].compactMap { $0 }.joined(separator: ": ") }
            try db.execute(sql: """
                INSERT INTO report_events (report_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, stamp, actor, report.status.rawValue, target.rawValue, text])
            guard let changed = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return changed
        }
    }

    /// Number of reports per district code ("none" for reports outside every district).
    public func reportCountsByDistrict() throws -> [(district: String, count: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT COALESCE(a.name, 'outside the districts') AS name, COUNT(r.id) AS n
                FROM reports r LEFT JOIN areas a ON a.id = r.district_id
                GROUP BY a.id ORDER BY a.id IS NULL, a.name
                """).map { ($0["name"], $0["n"]) }
        }
    }
}
