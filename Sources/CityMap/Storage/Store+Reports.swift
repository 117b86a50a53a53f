import Foundation
import GRDB

extension Store {
    /// How close an open report of the same category must be for `log` to call it a likely duplicate.
    public static let duplicateRadius = Meters(25)
    /// How many likely duplicates `log` names at most, nearest first: where more lie this close, the nearest say enough.
    public static let duplicateLimit = 5

    /// Stores a new report: validates its category against the stored taxonomy, projects it with PROJ, places it
    /// in its district and square, records the creation in the history, and names likely duplicates.
    /// A report whose `clientID` is already stored is not stored again: the first one comes back, marked as a repeat.
    public func log(_ new: NewReport, actor: String? = nil, now: Date = Date()) throws -> LoggedReport {
        try write { db in
            try log(new, actor: actor, now: now, db: db,
                    writer: try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), now: now))
        }
    }

    /// Logs several reports in one transaction, each in a savepoint of its own: one refused report changes nothing
    /// for the others. The group commit of `ReportIntake`: many small writes share one commit. Each item's token is
    /// checked inside the transaction (no report without a valid token), and its holder becomes the actor and, where
    /// the report names none, the reporter.
    func log(_ batch: [ReportIntake.Item], now: Date = Date()) -> [Result<LoggedReport, any Error>] {
        do {
            return try write { db in
                // Savepoints through statements prepared once per connection (GRDB's inSavepoint prepares its
                // statements on every call, which was a twelfth of the time of POST /api/reports).
                let begin = try RawStatement(cached: "SAVEPOINT intake", db)
                let release = try RawStatement(cached: "RELEASE SAVEPOINT intake", db)
                let undo = try RawStatement(cached: "ROLLBACK TO SAVEPOINT intake", db)
                let writer = try ReportWriter(db: db, projector: projector, areaIndex: try areaIndex(db), now: now)
                return try batch.map { item in
                    var result: Result<LoggedReport, any Error> = .failure(StorageError.busy(path: path))
                    try begin.run()
                    do {
                            var report = item.report
                            var actor = item.actor
                            if let secret = item.token {
                                guard let identity = try Self.identity(forToken: secret, db: db) else { throw AccessError.unknownToken }
                                guard identity.role.covers(item.role) else {
                                    throw AccessError.roleTooSmall(name: identity.name, has: identity.role, needs: item.role)
                                }
                                actor = identity.name
                                if report.reporter == nil { report.reporter = identity.name }
                            }
                            result = .success(try log(report, actor: actor, now: now, db: db, writer: writer))
                        try release.run()
                    } catch {
                        result = .failure(Self.wrap(error, path: path))
                        try undo.run()
                        try release.run()
                    }
                    return result
                }
            }
        } catch {
            let failure = Self.wrap(error, path: path)
            return batch.map { _ in .failure(failure) }
        }
    }

    /// One report in an open transaction, through a writer that may serve several (a batch shares one).
    private func log(_ new: NewReport, actor: String?, now: Date, db: Database, writer: ReportWriter) throws -> LoggedReport {
        if let clientID = new.clientID,
           let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM reports WHERE client_id = ?"), arguments: [clientID]),
           let report = try Self.report(id: existing, db: db) {
            return LoggedReport(report: report, isRepeat: true, likelyDuplicates: [])
        }
        let taxonomy = try cachedTaxonomy(db)
        let category = try taxonomy.resolve(new.category.description)
        let candidates = try likelyDuplicates(category: category, position: new.position, db: db, taxonomy: taxonomy)
        var new = new
        new.category = category
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

    /// Open reports of the same category within `duplicateRadius` of a stored report, logged before it, nearest first.
    public func likelyDuplicates(of id: Int64) throws -> [Neighbour] {
        try read { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return try likelyDuplicates(category: report.category, position: report.position, db: db, taxonomy: cachedTaxonomy(db))
                .filter { $0.report.id < id }
        }
    }

    /// Open reports of the category within `duplicateRadius`, the nearest `duplicateLimit`. The partial index
    /// `reports_open_place` (migration v10) holds the open reports by subcategory and x, y in EPSG:25832 metres: the
    /// strip of x within the radius gives the candidates with their y, the distance decides, and only the nearest
    /// are read whole. One fixed statement, prepared once per connection (it runs on every report logged).
    func likelyDuplicates(category: CategoryCode, position: Coordinate, db: Database, taxonomy: Taxonomy) throws -> [Neighbour] {
        let projected = try projector.project(position)
        let radius = Self.duplicateRadius.value
        let statement = try db.cachedStatement(sql: """
            SELECT \(ReportQuery.columns) FROM \(ReportQuery.from)
            WHERE r.id IN (
              SELECT r.id FROM reports r INDEXED BY reports_open_place
              WHERE r.category = ? AND r.subcategory = ? AND r.status IN ('open', 'acknowledged', 'in-progress')
                AND r.x BETWEEN ? AND ? AND r.y BETWEEN ? AND ?
                AND ((r.x - ?) * (r.x - ?) + (r.y - ?) * (r.y - ?)) <= ?
              ORDER BY ((r.x - ?) * (r.x - ?) + (r.y - ?) * (r.y - ?)), r.id LIMIT \(Self.duplicateLimit))
            """)
        let arguments: StatementArguments = [category.category, category.subcategory,
                                             projected.x - radius, projected.x + radius, projected.y - radius, projected.y + radius,
                                             projected.x, projected.x, projected.y, projected.y, radius * radius,
                                             projected.x, projected.x, projected.y, projected.y]
        return try ReportRecord.fetchAll(statement, arguments: arguments)
            .map { Neighbour(report: $0.report, distance: $0.report.projected.distance(to: projected)) }
            .sorted { ($0.distance.value, $0.report.id) < ($1.distance.value, $1.report.id) }
    }

    /// One report, or an error naming the id when there is none.
    public func report(id: Int64) throws -> Report {
        guard let report = try readReports(nil, { db in try Self.report(id: id, db: db) }) else { throw DomainError.unknownReport(id) }
        return report
    }

    /// One report with its history.
    public func detail(id: Int64) throws -> ReportDetail {
        try readReports(nil) { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            return ReportDetail(report: report, history: try Self.history(of: id, db: db))
        }
    }

    /// A read of reports (`ReportQuery.columns`), which loads SpatiaLite only for a filter that calls it: opening
    /// it and making its connection cache cost a `citymap list --near` about a third of its instructions (callgrind).
    func readReports<T>(_ filter: ReportFilter?, _ body: (Database) throws -> T) throws -> T {
        try plainRead { db in
            if let filter, ReportQuery.usesSpatiaLite(filter) { try loadSpatiaLite(db) }
            return try body(db)
        }
    }

    static func report(id: Int64, db: Database) throws -> Report? {
        try ReportRecord.fetchOne(db.cachedStatement(sql: "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from) WHERE r.id = ?"), arguments: [id])?.report
    }

    /// Reports that pass the filter, oldest observation first (ties by id), from `filter.offset` on.
    public func reports(matching filter: ReportFilter = ReportFilter()) throws -> [Report] {
        try readReports(filter) { db in try reports(matching: filter, db: db, taxonomy: cachedTaxonomy(db)) }
    }

    /// How many reports pass the filter, ignoring its limit and offset.
    public func count(matching filter: ReportFilter) throws -> Int {
        try readReports(filter) { db in
            let query = try ReportQuery(filter, db: db, taxonomy: cachedTaxonomy(db), projector: projector)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports r\(query.whereClause)", arguments: query.arguments) ?? 0
        }
    }

    /// `cached` reuses the prepared statement: only for fixed-shape queries (the duplicate check), since every
    /// shape of a user's filter would stay in the connection's cache.
    func reports(matching filter: ReportFilter, db: Database, taxonomy: Taxonomy, cached: Bool = false) throws -> [Report] {
        if let near = filter.near, let limit = filter.limit, !cached {
            // The first reports of a window near a place: found as ids, then read whole (the sort of every
            // candidate's full row, with its areas and coordinates, cost 146 ms at Burgplatz).
            let ids = try nearWindow(near, limit: limit, filter: filter, db: db, taxonomy: taxonomy)
            guard !ids.isEmpty else { return [] }
            let sql = "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from) WHERE r.id IN (\(ReportQuery.placeholders(ids.count))) ORDER BY r.observed_at, r.id"
            return try ReportRecord.fetchAll(db, sql: sql, arguments: StatementArguments(ids)).map(\.report)
        }
        let query = try ReportQuery(filter, db: db, taxonomy: taxonomy, projector: projector)
        var sql = "SELECT \(ReportQuery.columns) FROM \(ReportQuery.from)\(query.whereClause) ORDER BY r.observed_at, r.id"
        if filter.limit != nil || filter.offset > 0 { sql += " LIMIT \(filter.limit.map { max(0, $0) } ?? -1) OFFSET \(max(0, filter.offset))" }
        let statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        return try ReportRecord.fetchAll(statement, arguments: query.arguments).map(\.report)
    }

    /// The ids of the reports near a place from `filter.offset` on, at most `limit`, oldest observation first.
    ///
    /// Two ways, chosen by how many candidates the R*Tree holds in the place's box (N, counted in the index alone):
    /// each candidate looked up and the window sorted, which costs N lookups; or the reports walked in time order
    /// (`reports_observed_at`) until the window is full, about window × reports ÷ N lookups if the place's reports
    /// are spread over time as the others are. The walk is taken when it should be shorter, and left for the
    /// first way once it has looked at N reports, so it never costs more than twice the first way. Both give the
    /// same ids (`ReportQueryTests`).
    func nearWindow(_ near: (center: Coordinate, radius: Meters), limit: Int, filter: ReportFilter, db: Database,
                    taxonomy: Taxonomy) throws -> [Int64] {
        let wanted = max(0, limit) + max(0, filter.offset)
        guard limit > 0 else { return [] }
        let box = BoundingBox.around(near.center, radius: near.radius)
        let frame: StatementArguments = [box.west, box.east, box.south, box.north]
        let candidates = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(ReportQuery.indexFrame))", arguments: frame) ?? 0
        let reports = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM reports") ?? 0
        if candidates * candidates > wanted * reports {
            var others = filter
            others.near = nil
            others.limit = nil
            others.offset = 0
            let query = try ReportQuery(others, db: db, taxonomy: taxonomy, projector: projector)
            let center = try projector.project(near.center)
            let reach = near.radius.value * near.radius.value
            let statement = try db.makeStatement(sql: "SELECT r.id, r.x, r.y FROM reports r INDEXED BY reports_observed_at\(query.whereClause) ORDER BY r.observed_at, r.id")
            try statement.setArguments(query.arguments)
            let row = RowReader(handle: statement.sqliteStatement)
            var found: [Int64] = [], examined = 0, exhausted = false
            while found.count < wanted && examined < candidates {
                guard try row.step(connection: db.sqliteConnection) else { exhausted = true; break }
                examined += 1
                let dx = row.double(1) - center.x, dy = row.double(2) - center.y
                if dx * dx + dy * dy <= reach { found.append(row.int64(0)) }
            }
            if found.count == wanted || exhausted { return Array(found.dropFirst(filter.offset)) }
        }
        let query = try ReportQuery(filter, db: db, taxonomy: taxonomy, projector: projector)
        return try Int64.fetchAll(db, sql: "SELECT r.id FROM reports r\(query.whereClause) ORDER BY r.observed_at, r.id LIMIT \(max(0, limit)) OFFSET \(max(0, filter.offset))",
                                  arguments: query.arguments)
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
            let stamp = try Self.eventTime(at, of: report, now: now, db: db)
            try db.execute(sql: "UPDATE reports SET status = ?, duplicate_of = ?, updated_at = ? WHERE id = ?",
                           arguments: [target.rawValue, root, Timestamp.utc(now), id])
            var text = note
            if let root { text = ["duplicate of #\(root)", note].compactMap { $0 }.joined(separator: ": ") }
            try Self.recordEvent(db, report: id, at: stamp, actor: actor, kind: .status, from: report.status, to: target,
                                 note: text, isPublic: isPublic)
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
            try Self.recordEvent(db, report: id, at: try Self.eventTime(at, of: report, now: now, db: db), actor: actor, kind: .note,
                                 from: report.status, to: report.status, note: trimmed, isPublic: isPublic)
            let eventID = db.lastInsertedRowID
            try db.execute(sql: "UPDATE reports SET updated_at = ? WHERE id = ?", arguments: [Timestamp.utc(now), id])
            return try EventRecord.fetchOne(db, sql: "SELECT * FROM report_events WHERE id = ?", arguments: [eventID])!.event
        }
    }

    /// Replaces every occurrence of `passage` in a report's free-text field by "[redacted]", for personal data the
    /// automatic redaction missed (a name typed into a description). The stored text changes, so the passage is
    /// gone from every output; the history records who redacted which field and when, never the passage itself.
    @discardableResult
    public func redact(_ field: RedactableField, of id: Int64, passage: String, actor: String? = nil, now: Date = Date()) throws -> Report {
        guard !passage.trimmed.isEmpty else {
            throw DomainError.invalidText(field: "text", reason: "is empty; give the passage to redact, as it appears in the \(field.rawValue)")
        }
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            let current = (field == .description ? report.description : report.address) ?? ""
            let occurrences = current.components(separatedBy: passage).count - 1
            guard occurrences > 0 else {
                throw DomainError.invalidText(field: "text", reason: "does not occur in the \(field.rawValue) of report #\(id); copy it exactly as `citymap show \(id)` prints it")
            }
            let redacted = current.replacingOccurrences(of: passage, with: PublicText.mark)
            let stamp = Timestamp.utc(now)
            try db.execute(sql: "UPDATE reports SET \(field == .description ? "description" : "address") = ?, updated_at = ? WHERE id = ?",
                           arguments: [redacted, stamp, id])
            try Self.recordEvent(db, report: id, at: stamp, actor: actor, kind: .note, from: report.status, to: report.status,
                                 note: "redacted by hand: \(occurrences) passage\(occurrences == 1 ? "" : "s") of the \(field.rawValue)")
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

extension Store {
    /// Where a position falls: its district and square, as `log` would place it.
    public func place(_ position: Coordinate) throws -> Placement {
        try read { db in try areaIndex(db).place(position) }
    }

    /// The folder beside the database that holds the reports' photos (`citymap.sqlite.media/`), made on first use,
    /// readable by its owner only.
    var mediaFolder: URL { URL(fileURLWithPath: path + ".media") }

    /// Stores a photo of a report beside the database, with its metadata removed (`ImageMetadata`), and records it
    /// in the history. The report's `media_url` is internal (`media/FILE`): the public never sees it.
    @discardableResult
    public func attachPhoto(to id: Int64, bytes: [UInt8], actor: String?, now: Date = Date()) throws -> String {
        let image = try ImageMetadata.stripped(bytes)
        let folder = mediaFolder
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let name = "report-\(id)-\(UUID().uuidString.prefix(8).lowercased()).\(image.format.fileExtension)"
        return try write { db in
            guard let report = try Self.report(id: id, db: db) else { throw DomainError.unknownReport(id) }
            let file = folder.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: file.path, contents: Data(image.bytes), attributes: [.posixPermissions: 0o600]) else {
                throw OutputError.cannotWrite(file.path, reason: "the media folder is not writable")
            }
            let url = "media/\(name)"
            try db.execute(sql: "UPDATE reports SET media_url = ?, updated_at = ? WHERE id = ?", arguments: [url, Timestamp.utc(now), id])
            try Self.recordEvent(db, report: id, at: Timestamp.utc(now), actor: actor, kind: .note, from: report.status, to: report.status,
                                 note: "photo added (\(image.format.rawValue), metadata removed)")
            return url
        }
    }

    /// A stored photo's bytes and format, by the `media_url` a report holds.
    public func photo(named name: String) throws -> (format: ImageMetadata.Format, bytes: [UInt8])? {
        guard !name.contains("/"), !name.hasPrefix("."), let format = ImageMetadata.Format(rawValue: name.split(separator: ".").last.map {
            $0 == "jpg" ? "jpeg" : String($0) } ?? ""),
              let data = FileManager.default.contents(atPath: mediaFolder.appendingPathComponent(name).path) else { return nil }
        return (format, Array(data))
    }
}
