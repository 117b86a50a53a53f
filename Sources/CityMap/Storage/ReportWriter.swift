import Foundation
import GRDB

/// Writes reports and walks inside one open transaction, with prepared statements, projecting each batch in
/// one PROJ call and placing it with the in-memory area index. Used by `log` (a batch of one) and by imports.
final class ReportWriter {
    enum Outcome {
        case inserted(Report.ID, Placement)
        /// The same source and external id is already stored (a re-import).
        case alreadyPresent
        /// The same source and external id came earlier in this very import, with other content: a conflict.
        case repeatedInThisImport
        /// The same record came earlier in this very import, identical: imported once.
        case identicalRepeat
    }

    private let db: Database
    private let projector: Projector
    let areaIndex: AreaIndex
    private let insertReport: RawStatement
    private let insertEvent: RawStatement
    private let insertStatusEvent: RawStatement
    private let findExisting: Statement
    private let firstNewID: Int64
    private let stamp: String
    /// Known walks' time spans, for linking reports observed during a walk.
    private var walkSpans: [(id: Int64, start: String, end: String)]
    /// In bulk mode, SpatiaLite's triggers on `reports` and the history's response-time trigger, set aside until `finish()`.
    private var setAsideTriggers: [String] = []
    /// In bulk mode, secondary indexes of `reports` dropped once the import proved large, rebuilt in `finish()`.
    private var setAsideIndexes: [String] = []
    private var inserted = 0
    private let bulk: Bool

    /// `bulk` sets SpatiaLite's per-row triggers on `reports` aside for the transaction (geometry constraint,
    /// timestamp, spatial index) and does their work once in `finish()`: per row they cost more than the insert
    /// itself (each fires statements and forces a statement journal). Every point written here is a
    /// `MakePoint(lon, lat, 4326)`, so the geometry constraint holds by construction. If the transaction fails,
    /// its rollback restores the triggers too.
    init(db: Database, projector: Projector, areaIndex: AreaIndex, now: Date = Date(), bulk: Bool = false,
         note: (prefix: String, suffix: String) = ("logged (", ")")) throws {
        // Single reports (log, the service) reuse statements prepared once per connection; bulk imports prepare their own.
        let statement: (String) throws -> RawStatement = bulk ? { try RawStatement(db, sql: $0) } : { try RawStatement(cached: $0, db) }
        self.db = db
        notePrefix = note.prefix
        noteSuffix = note.suffix
        self.bulk = bulk
        self.projector = projector
        self.areaIndex = areaIndex
        stamp = Timestamp.utc(now)
        firstNewID = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM reports")) ?? 0) + 1
        // In bulk mode (`Store.writeInBulk`: no foreign-key or CHECK constraints) `OR FAIL` leaves a single-row insert
        // with nothing that could abort it halfway, so SQLite keeps no statement journal for it; with one, each insert
        // first copied every page it touched (measured with the constraints set aside, 100,000 reports: 3.04 → 1.70 s).
        let or = bulk ? "OR FAIL " : ""
        insertReport = try statement("""
            INSERT \(or)INTO reports (category, subcategory, status, severity, description, observed_at, reporter, source,
                                 external_id, accuracy_m, x, y, district_id, square_id, address, media_url, walk_id,
                                 created_at, updated_at, geom, client_id, first_response_at, resolved_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source, external_id) DO NOTHING
            """)
        insertEvent = try statement("""
            INSERT \(or)INTO report_events (report_id, at, actor, kind, from_status, to_status, note) VALUES (?, ?, ?, 'created', NULL, ?, ?)
            """)
        insertStatusEvent = try statement("""
            INSERT \(or)INTO report_events (report_id, at, actor, kind, from_status, to_status, note) VALUES (?, ?, ?, 'status', ?, ?, ?)
            """)
        findExisting = try db.cachedStatement(sql: """
            SELECT id, category, subcategory, description, observed_at, status, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM reports WHERE source = ? AND external_id = ?
            """)
        walkSpans = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, started_at, ended_at FROM walks WHERE started_at IS NOT NULL AND ended_at IS NOT NULL ORDER BY id"))
            .map { ($0["id"], $0["started_at"], $0["ended_at"]) }
        if bulk {
            let triggers = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'trigger' AND (tbl_name = 'reports' OR name = 'report_events_responses')
                """)
            for trigger in triggers {
                setAsideTriggers.append(trigger["sql"])
                try db.execute(sql: "DROP TRIGGER \"\(trigger["name"] as String)\"")
            }
        }
    }

    /// Ends bulk mode: brings the spatial index up to date (packed anew when the import brought many rows beside
    /// the table's, else the new rows added in one statement), rebuilds set-aside indexes, records the insert time
    /// SpatiaLite keeps, and puts the triggers back exactly as they were.
    func finish() throws {
        guard bulk else { return }
        if packsSpatialIndex {
            var entries: [RTreePacking.Entry] = []
            // Room for every report at once (ids are given in order, so the span is the count but for deletions):
            // grown by doubling, the array held its old and new buffers at once, 1.5 times its size. A span beyond
            // 32 million (ids set by hand far apart) reserves no more than that; the array grows past it if need be.
            let span = try Int.fetchOne(db, sql: "SELECT MAX(id) - MIN(id) + 1 FROM reports") ?? 0
            entries.reserveCapacity(min(max(span, 0), 1 << 25))
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, ST_X(geom), ST_Y(geom) FROM reports")
            while let row = try cursor.next() {
                entries.append(RTreePacking.Entry(id: row[0], x: row[1], y: row[2]))
            }
            try RTreePacking.rebuild(db, name: "idx_reports_geom", entries: &entries)
        } else {
            try db.execute(sql: """
                INSERT INTO idx_reports_geom (pkid, xmin, xmax, ymin, ymax)
                SELECT id, ST_X(geom), ST_X(geom), ST_Y(geom), ST_Y(geom) FROM reports WHERE id >= ?
                """, arguments: [firstNewID])
        }
        // `OR FAIL`, as for the rows: an error ends the whole transaction anyway, so SQLite need not keep the statement
        // journal that would let this one statement undo itself, which held the original of every page it touched in
        // memory (`temp_store = MEMORY`): an import of 1,000,000 reports peaked at 244 MB with it, 197-205 without;
        // 10,000,000 at 1.27 GB and 834 MB.
        try db.execute(sql: """
            INSERT OR FAIL INTO report_events (report_id, at, actor, kind, from_status, to_status, note)
            SELECT r.id, ?, r.reporter, 'created', NULL, r.status, ? || r.source || ?
            FROM reports r WHERE r.id >= ? AND NOT EXISTS (SELECT 1 FROM report_events e WHERE e.report_id = r.id)
            ORDER BY r.id
            """, arguments: [stamp, notePrefix, noteSuffix, firstNewID])
        for sql in setAsideIndexes { try db.execute(sql: sql) }
        setAsideIndexes = []
        try db.execute(sql: """
            UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE lower(f_table_name) = 'reports' AND lower(f_geometry_column) = 'geom'
            """)
        for sql in setAsideTriggers { try db.execute(sql: sql) }
        setAsideTriggers = []
    }

    /// Inserts a batch; the outcomes are in the batch's order.
    /// The note of a report's creation event, by its source; for imports it names the file. Written by SQL
    /// in bulk mode, so it must be expressible as a prefix and suffix around the source.
    private let notePrefix: String
    private let noteSuffix: String
    private func creationNote(_ source: String) -> String { notePrefix + source + noteSuffix }

    func insert(_ batch: [NewReport], actor: String? = nil) throws -> [Outcome] {
        var xs = batch.map(\.position.lon), ys = batch.map(\.position.lat)
        try projector.transform(&xs, &ys)
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        for (i, report) in batch.enumerated() {
            let placement = areaIndex.place(report.position)
            let observed = Timestamp.utc(report.observedAt)
            let walk = report.walkID ?? walkSpans.first { $0.start <= observed && observed <= $0.end }?.id
            let r = insertReport
            r.bind(1, report.category.category); r.bind(2, report.category.subcategory); r.bind(3, report.status.rawValue)
            r.bind(4, report.severity.rawValue); r.bind(5, report.description); r.bind(6, observed); r.bind(7, report.reporter)
            r.bind(8, report.source); r.bind(9, report.externalID); r.bind(10, report.accuracy?.value); r.bind(11, xs[i])
            r.bind(12, ys[i]); r.bind(13, placement.district?.id); r.bind(14, placement.square?.id); r.bind(15, report.address)
            r.bind(16, report.mediaURL); r.bind(17, walk); r.bind(18, stamp); r.bind(19, stamp)
            r.bind(20, SpatiaLiteBlob.point(x: report.position.lon, y: report.position.lat))
            r.bind(21, report.clientID)
            // The history's response times, as the status events below record them (the trigger on report_events,
            // set aside in bulk mode, would write the same).
            var firstResponse: String?, resolved: String?
            if let statusAt = report.statusAt {
                firstResponse = Timestamp.utc(max(report.status == .acknowledged ? statusAt : (report.acknowledgedAt ?? statusAt), report.observedAt))
                if report.status == .resolved { resolved = Timestamp.utc(max(statusAt, report.observedAt)) }
            }
            r.bind(22, firstResponse); r.bind(23, resolved)
            try r.run()
            if r.changes == 0 {
                guard let existing = try Row.fetchOne(findExisting, arguments: [report.source, report.externalID]),
                      (existing["id"] as Int64) >= firstNewID else {
                    outcomes.append(.alreadyPresent)
                    continue
                }
                let identical = existing["category"] == report.category.category && existing["subcategory"] == report.category.subcategory
                    && existing["description"] == report.description && existing["observed_at"] == observed
                    && existing["status"] == report.status.rawValue
                    && existing["lon"] == report.position.lon && existing["lat"] == report.position.lat
                outcomes.append(identical ? .identicalRepeat : .repeatedInThisImport)
                continue
            }
            let id = r.lastInsertedRowID
            // A status reached at a known time (Open311's updated_datetime): created open when observed, then the
            // change at that time, so that the summary's response times are those of the system it came from.
            if let statusAt = report.statusAt {
                let e = insertEvent
                e.bind(1, id); e.bind(2, observed); e.bind(3, actor ?? report.reporter); e.bind(4, ReportStatus.open.rawValue)
                e.bind(5, creationNote(report.source))
                try e.run()
                let s = insertStatusEvent
                var from = ReportStatus.open
                if let acknowledged = report.acknowledgedAt, report.status != .acknowledged {
                    s.bind(1, id); s.bind(2, Timestamp.utc(max(acknowledged, report.observedAt))); s.bind(3, report.source)
                    s.bind(4, ReportStatus.open.rawValue); s.bind(5, ReportStatus.acknowledged.rawValue); s.bind(6, nil as String?)
                    try s.run()
                    from = .acknowledged
                }
                s.bind(1, id); s.bind(2, Timestamp.utc(max(statusAt, report.observedAt))); s.bind(3, report.source)
                s.bind(4, from.rawValue); s.bind(5, report.status.rawValue); s.bind(6, report.statusNote)
                try s.run()
                outcomes.append(.inserted(id, placement))
                inserted += 1
                continue
            }
            // An imported status note is kept as it was, so that an export re-imported gives the same export.
            // In bulk mode, creation events without a note are written in one statement by `finish()`.
            if !bulk || report.statusNote != nil {
                let e = insertEvent
                e.bind(1, id); e.bind(2, stamp); e.bind(3, actor ?? report.reporter); e.bind(4, report.status.rawValue)
                e.bind(5, report.statusNote ?? creationNote(report.source))
                try e.run()
            }
            outcomes.append(.inserted(id, placement))
            inserted += 1
        }
        try setIndexesAsideIfLarge()
        return outcomes
    }

    /// Packing the R*Tree reads and sorts every row of the table once (about 1 µs each); SQLite inserts a point into
    /// it one by one in about 16 µs. So it is packed anew when the import brings at least an eighth of the table's
    /// rows, and 1,000 or more (measured: 10,000 reports into an empty file 0.28 → 0.22 s).
    private var packsSpatialIndex: Bool { inserted >= 1_000 && Int64(inserted) * 8 >= firstNewID - 1 }

    /// A large import into a smaller table is faster without its secondary indexes: maintaining five B-trees
    /// row by row cost 3 s per 100,000 rows, building them afterwards 0.3 s (measured, tools/bench input).
    private var isLarge: Bool { inserted >= 20_000 && Int64(inserted) * 4 >= firstNewID - 1 }

    private func setIndexesAsideIfLarge() throws {
        guard bulk, setAsideIndexes.isEmpty, isLarge else { return }
        try setIndexesAside()
    }

    /// Sets the secondary indexes aside before the first row when the input is expected to bring at least a
    /// quarter as many rows as the table holds (and 1,000 or more): a 10,000-report import into a fresh file paid
    /// for the indexes row by row until the 20,000th row proved it large.
    func expect(rows: Int) throws {
        guard bulk, setAsideIndexes.isEmpty, rows >= 1_000, Int64(rows) * 4 >= firstNewID - 1 else { return }
        try setIndexesAside()
    }

    /// Partial indexes of the rows where one column is set (`WHERE client_id IS NOT NULL`: `client_id`, `due_at`,
    /// `walk_id`) stay: an import sets those columns on few rows or none, so keeping them costs a test per row,
    /// while each rebuild reads the whole table (measured with the two after it, 100,000 reports: 1.41 → 1.29 s).
    private func setIndexesAside() throws {
        let indexes = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' AND sql IS NOT NULL")
        for index in indexes where (index["sql"] as String).range(of: #"WHERE \w+ IS NOT NULL\s*$"#, options: .regularExpression) == nil {
            setAsideIndexes.append(index["sql"])
            try db.execute(sql: "DROP INDEX \"\(index["name"] as String)\"")
        }
    }

    /// Stores a walk unless the same source and external id is there already; links the reports observed
    /// during its time span that have no walk yet. Returns nil when it was already present.
    /// Stores a walk of one or more segments (a pause starts a new one; each has at least 2 points). Its length is
    /// the sum of the segments' lengths in EPSG:25832, never a line across a pause. A planned walk (a GPX route)
    /// links no reports.
    func insertWalk(name: String, team: String?, segments: [[Coordinate]], times: [Date], source: String,
                    externalID: String, planned: Bool = false) throws -> Int64? {
        var length = 0.0
        var districts: [String] = []
        for segment in segments {
            var xs = segment.map(\.lon), ys = segment.map(\.lat)
            try projector.transform(&xs, &ys)
            for i in 1..<max(segment.count, 1) {
                length += ((xs[i] - xs[i - 1]) * (xs[i] - xs[i - 1]) + (ys[i] - ys[i - 1]) * (ys[i] - ys[i - 1])).squareRoot()
            }
            for point in segment {
                if let name = areaIndex.place(point).district?.name, !districts.contains(name) { districts.append(name) }
            }
        }
        let start = times.min().map(Timestamp.utc), end = times.max().map(Timestamp.utc)
        let wkt = "MULTILINESTRING(" + segments.map { "(" + $0.map { "\($0.lon) \($0.lat)" }.joined(separator: ", ") + ")" }
            .joined(separator: ", ") + ")"
        try db.execute(sql: """
            INSERT INTO walks (name, team, started_at, ended_at, length_m, districts, source, external_id, created_at, geom, planned)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromText(?, 4326), ?)
            ON CONFLICT (source, external_id) DO NOTHING
            """, arguments: [name, team, start, end, length, districts.joined(separator: ", "), source, externalID, stamp, wkt, planned])
        guard db.changesCount > 0 else { return nil }
        let id = db.lastInsertedRowID
        if !planned, let start, let end {
            walkSpans.append((id, start, end))
            try db.execute(sql: "UPDATE reports SET walk_id = ? WHERE walk_id IS NULL AND observed_at BETWEEN ? AND ?",
                           arguments: [id, start, end])
        }
        return id
    }
}
