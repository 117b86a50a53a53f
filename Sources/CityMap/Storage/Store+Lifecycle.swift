import Foundation
import GRDB

/// What a report's history may still take: reopening a closed concern and editing what was logged. Every change is
/// one transaction with its history event, dated `at` (when it happened, default now) and naming who made it.
extension Store {
    /// Writes one entry of a report's history: a status change (`to` differs from `from`) or a note, at `at`
    /// (UTC text), by `actor`; `isPublic` lets the public read its note.
    static func recordEvent(_ db: Database, report id: Int64, at: String, actor: String?, kind: EventKind,
                            from: ReportStatus, to: ReportStatus, note: String?, isPublic: Bool = false) throws {
        try db.execute(sql: """
            INSERT INTO report_events (report_id, at, actor, kind, from_status, to_status, note, public)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, at, actor, kind.rawValue, from.rawValue, to.rawValue, note, isPublic])
    }

    /// How far in the future an `at` may lie: clocks of phones and laptops differ by a few minutes.
    static let clockSkew: TimeInterval = 300

    /// The time an event is recorded at: `at` or now. Refused when it lies in the future, or before the report
    /// was observed or before the latest status change or note of its history, which would put the history out of
    /// order. (The creation event is stamped when the report was written, which may be after the work recorded.)
    static func eventTime(_ at: Date?, of report: Report, now: Date, db: Database) throws -> String {
        guard let at else { return Timestamp.utc(now) }
        let text = Timestamp.utc(at)
        if at > now.addingTimeInterval(clockSkew) {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(at)) lies in the future; give when it happened")
        }
        if at < report.observedAt {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(at)) is before report #\(report.id) was observed (\(Timestamp.short(report.observedAt)))")
        }
        if let latest = try String.fetchOne(db.cachedStatement(sql: "SELECT MAX(at) FROM report_events WHERE report_id = ? AND kind != 'created'"), arguments: [report.id]),
           text < latest, let latestDate = Timestamp.parse(latest) {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(at)) is before the latest entry of report #\(report.id)'s history (\(Timestamp.short(latestDate))); `citymap show \(report.id)` lists it")
        }
        return text
    }

    /// Reopens a resolved, rejected or duplicate report ("it's back", as FixMyStreet says): it becomes open again,
    /// a duplicate loses its link to the original, and the history records the reason.
    @discardableResult
    public func reopen(_ id: Int64, reason: String, actor: String? = nil, isPublic: Bool = false, at: Date? = nil,
                       now: Date = Date()) throws -> Report {
        let reason = reason.trimmed
        guard !reason.isEmpty else { throw DomainError.invalidText(field: "reason", reason: "is empty; say why the concern is back") }
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            guard !report.status.isOpen else { throw DomainError.notClosed(report: id, status: report.status) }
            let stamp = try Self.eventTime(at, of: report, now: now, db: db)
            try db.execute(sql: "UPDATE reports SET status = 'open', duplicate_of = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Timestamp.utc(now), id])
            try Self.recordEvent(db, report: id, at: stamp, actor: actor, kind: .status, from: report.status, to: .open,
                                 note: "reopened: " + reason, isPublic: isPublic)
            guard let changed = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return changed
        }
    }

    /// Changes what was logged: the category, the position (placed in its district and square again, and projected
    /// anew) or the description. The history records each old and new value, except the description's text, which
    /// may hold personal data. Fields left nil stay as they are.
    @discardableResult
    public func edit(_ id: Int64, category: String? = nil, position: Coordinate? = nil, description: String? = nil,
                     actor: String? = nil, at: Date? = nil, now: Date = Date()) throws -> Report {
        guard category != nil || position != nil || description != nil else { throw DomainError.nothingToEdit(report: id) }
        if let description, description.count > ReportSubmission.maximumNote {
            throw DomainError.invalidText(field: "description", reason: "has \(description.count) characters; at most \(ReportSubmission.maximumNote) are kept")
        }
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            let stamp = try Self.eventTime(at, of: report, now: now, db: db)
            var changes: [String] = []
            if let category {
                let code = try cachedTaxonomy(db).resolve(category)
                if code != report.category {
                    try db.execute(sql: "UPDATE reports SET category = ?, subcategory = ? WHERE id = ?",
                                   arguments: [code.category, code.subcategory, id])
                    changes.append("category \(report.category) → \(code)")
                }
            }
            if let position, position != report.position {
                let projected = try projector.project(position)
                let placement = try areaIndex(db).place(position)
                try db.execute(sql: "UPDATE reports SET geom = ?, x = ?, y = ?, district_id = ?, square_id = ? WHERE id = ?",
                               arguments: [Data(SpatiaLiteBlob.point(x: position.lon, y: position.lat)), projected.x, projected.y,
                                           placement.district?.id, placement.square?.id, id])
                changes.append("position \(report.position) → \(position) (\(report.projected.distance(to: projected)) away)")
                if placement.district?.id != report.district?.id {
                    changes.append("district \(report.district?.name ?? "none") → \(placement.district?.name ?? "none")")
                }
                if placement.square?.id != report.square?.id {
                    changes.append("square \(report.square?.name ?? "none") → \(placement.square?.name ?? "none")")
                }
            }
            if let description {
                let text = description.trimmed
                if text != report.description {
                    try db.execute(sql: "UPDATE reports SET description = ? WHERE id = ?", arguments: [text, id])
                    changes.append("description rewritten")
                }
            }
            guard !changes.isEmpty else { throw DomainError.nothingToEdit(report: id) }
            try db.execute(sql: "UPDATE reports SET updated_at = ? WHERE id = ?", arguments: [Timestamp.utc(now), id])
            try Self.recordEvent(db, report: id, at: stamp, actor: actor, kind: .note, from: report.status, to: report.status,
                                 note: "edited: " + changes.joined(separator: "; "))
            guard let changed = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return changed
        }
    }

    /// Hands a concern to the agency that acts (AWISTA, the Ordnungs- und Servicedienst, the traffic office…),
    /// due `dueDays` days after the assignment (none: no due date). A closed report takes no assignment. The
    /// history records the agency and the due date, internally.
    @discardableResult
    public func assign(_ id: Int64, to agencyName: String, dueDays: Int? = nil, actor: String? = nil, at: Date? = nil,
                       now: Date = Date()) throws -> Report {
        let agency = try cachedResponsibilities().agency(named: agencyName)
        if let dueDays, !(0...3650).contains(dueDays) {
            throw DomainError.invalidText(field: "due", reason: "is \(dueDays) days; give 0 to 3650 days")
        }
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            guard report.status.isOpen else { throw DomainError.closedReport(report: id, status: report.status) }
            let stamp = try Self.eventTime(at, of: report, now: now, db: db)
            let due = dueDays.map { (at ?? now).addingTimeInterval(Double($0) * 86_400) }
            try db.execute(sql: "UPDATE reports SET agency = ?, due_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [agency.code, due.map { Timestamp.utc($0) }, Timestamp.utc(now), id])
            var note = "assigned to \(agency.name)"
            if let due { note += ", due \(Timestamp.short(due))" }
            try Self.recordEvent(db, report: id, at: stamp, actor: actor, kind: .note, from: report.status, to: report.status, note: note)
            guard let changed = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return changed
        }
    }
}
