import Foundation
import GRDB

extension Store {
    /// How close an open report of the same category must be for `log` to call it a likely duplicate.
    public static let duplicateRadius = Meters(25)

    /// Stores a new report: validates its category against the stored taxonomy, projects it with PROJ, places it
    /// in its district and square, records the creation in the history, and names likely duplicates.
    /// A report whose `clientID` is already stored is not stored again: the first one comes back, marked as a repeat.
    public func log(_ new: NewReport, actor: String? = nil, now: Date = Date()) throws -> LoggedReport {
        try write { db in
            if let clientID = new.clientID,
               let existing = try Int64.fetchOne(db, sql: "SELECT id FROM reports WHERE client_id = ?", arguments: [clientID]),
               let report = try Self.report(id: existing, db: db) {
                return LoggedReport(report: report, isRepeat: true, likelyDuplicates: [])
            }
            let taxonomy = try cachedTaxonomy(db)
            let category = try taxonomy.resolve(new.category.description)
            let candidates = try likelyDuplicates(category: category, position: new.position, db: db, taxonomy: taxonomy)
            var new = new
            new.category = category
            let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), now: now)
            guard case .inserted(let id, _) = try writer.insert([new], actor: actor)[0] else {
                throw StorageError.sqlite(path: path, message: "a report from \(new.source) with id \(new.externalID ?? "?") is already stored")
            }
            if let contact = new.contact, !contact.isEmpty {
                try db.execute(sql: "INSERT INTO report_contacts (report_id, email, first_name, last_name, phone) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, contact.email, contact.firstName, contact.lastName, contact.phone])
            }
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return LoggedReport(report: report, likelyDuplicates: candidates)
        }
    }

    /// Open reports of the same category within `duplicateRadius` of a stored report, logged before it, nearest first.
    public func likelyDuplicates(of id: Int64) throws -> [Neighbour] {
        try read { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return try likelyDuplicates(category: report.category, position: report.position, db: db, taxonomy: cachedTaxonomy(db))
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

    /// One report with its history.
    public func detail(id: Int64) throws -> ReportDetail {
        try read { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return ReportDetail(report: report, history: try Self.history(of: id, db: db))
        }
    }

    static func report(id: Int64, db: Database) throws -> Report? {
        try ReportRecord.fetchOne(db, sql: "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from) WHERE r.id = ?", arguments: [id])?.report
    }

    /// Reports that pass the filter, oldest observation first (ties by id), from `filter.offset` on.
    public func reports(matching filter: ReportFilter = ReportFilter()) throws -> [Report] {
        try read { db in try reports(matching: filter, db: db, taxonomy: cachedTaxonomy(db)) }
    }

    /// How many reports pass the filter, ignoring its limit and offset.
    public func count(matching filter: ReportFilter) throws -> Int {
        try read { db in
            let query = try ReportQuery(filter, db: db, taxonomy: cachedTaxonomy(db), projector: projector)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports r\(query.whereClause)", arguments: query.arguments) ?? 0
        }
    }

    func reports(matching filter: ReportFilter, db: Database, taxonomy: Taxonomy) throws -> [Report] {
        let query = try ReportQuery(filter, db: db, taxonomy: taxonomy, projector: projector)
        var sql = "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from)\(query.whereClause) ORDER BY r.observed_at, r.id"
        if filter.limit != nil || filter.offset > 0 { sql += " LIMIT \(filter.limit.map { max(0, $0) } ?? -1) OFFSET \(max(0, filter.offset))" }
        return try ReportRecord.fetchAll(db, sql: sql, arguments: query.arguments).map(\.report)
    }

    /// The history of a report, oldest first.
    public func history(of id: Int64) throws -> [ReportEvent] {
        try read { db in try Self.history(of: id, db: db) }
    }

    static func history(of id: Int64, db: Database) throws -> [ReportEvent] {
        try EventRecord.fetchAll(db, sql: "SELECT * FROM report_events WHERE report_id = ? ORDER BY at, id", arguments: [id]).map(\.event)
    }

    /// Moves a report along its lifecycle and writes the change to the history, in one transaction.
    /// A duplicate must name its original (`duplicateOf`), which must exist; a duplicate of a duplicate links
    /// to the first original. `at` is when the change happened (default now); `isPublic` lets the public read the note.
    @discardableResult
    public func changeStatus(of id: Int64, to target: ReportStatus, note: String? = nil, actor: String? = nil,
                             duplicateOf original: Int64? = nil, isPublic: Bool = false, at: Date? = nil, now: Date = Date()) throws -> Report {
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
            let stamp = Timestamp.utc(at ?? now)
            try db.execute(sql: "UPDATE reports SET status = ?, duplicate_of = ?, updated_at = ? WHERE id = ?",
                           arguments: [target.rawValue, root, Timestamp.utc(now), id])
            var text = note
            if let root { text = ["duplicate of #\(root)", note].compactMap { $0 }.joined(separator: ": ") }
            try db.execute(sql: """
                INSERT INTO report_events (report_id, at, actor, kind, from_status, to_status, note, public)
                VALUES (?, ?, ?, 'status', ?, ?, ?, ?)
                """, arguments: [id, stamp, actor, report.status.rawValue, target.rawValue, text, isPublic])
            guard let changed = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return changed
        }
    }

    /// Adds a note to a report's history without changing its status. `isPublic` lets the public read it.
    @discardableResult
    public func addNote(to id: Int64, text: String, actor: String? = nil, isPublic: Bool = false, at: Date? = nil,
                        now: Date = Date()) throws -> ReportEvent {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { throw DomainError.invalidText(field: "note", reason: "is empty; write what was done or seen") }
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            try db.execute(sql: """
                INSERT INTO report_events (report_id, at, actor, kind, from_status, to_status, note, public)
                VALUES (?, ?, ?, 'note', ?, ?, ?, ?)
                """, arguments: [id, Timestamp.utc(at ?? now), actor, report.status.rawValue, report.status.rawValue, trimmed, isPublic])
            let eventID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE reports SET updated_at = ? WHERE id = ?", arguments: [Timestamp.utc(now), id])
            return try EventRecord.fetchOne(db, sql: "SELECT * FROM report_events WHERE id = ?", arguments: [eventID])!.event
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
