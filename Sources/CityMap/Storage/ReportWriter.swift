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
    private let insertReport: Statement
    private let insertEvent: Statement
    private let findExisting: Statement
    private let firstNewID: Int64
    private let stamp: String
    /// Known walks' time spans, for linking reports observed during a walk.
    private var walkSpans: [(id: Int64, start: String, end: String)]

    init(db: Database, projector: Projector, areaIndex: AreaIndex, now: Date = Date()) throws {
        self.db = db
        self.projector = projector
        self.areaIndex = areaIndex
        stamp = Timestamp.utc(now)
        firstNewID = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM reports") ?? 0) + 1
        insertReport = try db.makeStatement(sql: """
            INSERT INTO reports (category, subcategory, status, severity, description, observed_at, reporter, source,
                                 external_id, accuracy_m, x, y, district_id, square_id, address, media_url, walk_id,
                                 created_at, updated_at, geom)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, MakePoint(?, ?, 4326))
            ON CONFLICT (source, external_id) DO NOTHING
            """)
        insertEvent = try db.makeStatement(sql: """
            INSERT INTO report_events (report_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, NULL, ?, ?)
            """)
        findExisting = try db.makeStatement(sql: """
            SELECT id, category, subcategory, description, observed_at, status, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM reports WHERE source = ? AND external_id = ?
            """)
        walkSpans = try Row.fetchAll(db, sql: "SELECT id, started_at, ended_at FROM walks WHERE started_at IS NOT NULL AND ended_at IS NOT NULL ORDER BY id")
            .map { ($0["id"], $0["started_at"], $0["ended_at"]) }
    }

    /// Inserts a batch; the outcomes are in the batch's order.
    func insert(_ batch: [NewReport], actor: String? = nil, creationNote: (NewReport) -> String) throws -> [Outcome] {
        var xs = batch.map(\.position.lon), ys = batch.map(\.position.lat)
        try projector.transform(&xs, &ys)
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        for (i, report) in batch.enumerated() {
            let placement = areaIndex.place(report.position)
            let observed = Timestamp.utc(report.observedAt)
            let walk = report.walkID ?? walkSpans.first { $0.start <= observed && observed <= $0.end }?.id
            try insertReport.execute(arguments: [
                report.category.category, report.category.subcategory, report.status.rawValue, report.severity.rawValue,
                report.description, observed, report.reporter, report.source, report.externalID, report.accuracy?.value,
                xs[i], ys[i], placement.district?.id, placement.square?.id, report.address, report.mediaURL, walk,
                stamp, stamp, report.position.lon, report.position.lat,
            ])
            if db.changesCount == 0 {
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
            let id = db.lastInsertedRowID
            // An imported status note is kept as it was, so that an export re-imported gives the same export.
            try insertEvent.execute(arguments: [id, stamp, actor ?? report.reporter, report.status.rawValue,
                                                report.statusNote ?? creationNote(report)])
            outcomes.append(.inserted(id, placement))
        }
        return outcomes
    }

    /// Stores a walk unless the same source and external id is there already; links the reports observed
    /// during its time span that have no walk yet. Returns nil when it was already present.
    func insertWalk(name: String, team: String?, points: [Coordinate], times: [Date], source: String,
                    externalID: String) throws -> Int64? {
        var xs = points.map(\.lon), ys = points.map(\.lat)
        try projector.transform(&xs, &ys)
        var length = 0.0
        for i in 1..<max(points.count, 1) {
            length += ((xs[i] - xs[i - 1]) * (xs[i] - xs[i - 1]) + (ys[i] - ys[i - 1]) * (ys[i] - ys[i - 1])).squareRoot()
        }
        var districts: [String] = []
        for point in points {
            if let name = areaIndex.place(point).district?.name, !districts.contains(name) { districts.append(name) }
        }
        let start = times.min().map(Timestamp.utc), end = times.max().map(Timestamp.utc)
        let wkt = "LINESTRING(" + points.map { "\($0.lon) \($0.lat)" }.joined(separator: ", ") + ")"
        try db.execute(sql: """
            INSERT INTO walks (name, team, started_at, ended_at, length_m, districts, source, external_id, created_at, geom)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromText(?, 4326))
            ON CONFLICT (source, external_id) DO NOTHING
            """, arguments: [name, team, start, end, length, districts.joined(separator: ", "), source, externalID, stamp, wkt])
        guard db.changesCount > 0 else { return nil }
        let id = db.lastInsertedRowID
        if let start, let end {
            walkSpans.append((id, start, end))
            try db.execute(sql: "UPDATE reports SET walk_id = ? WHERE walk_id IS NULL AND observed_at BETWEEN ? AND ?",
                           arguments: [id, start, end])
        }
        return id
    }
}
