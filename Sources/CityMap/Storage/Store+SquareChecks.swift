import Foundation
import GRDB

/// Platzcheck: dated assessments of a square, and a square's timeline of checks, reports and their changes.
extension Store {
    /// The square with this name or code (any case).
    public func square(named key: String) throws -> Area {
        try read { db in try Self.square(named: key, db: db) }
    }

    static func square(named key: String, db: Database) throws -> Area {
        let squares = try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'square' ORDER BY name").map(\.area)
        let wanted = key.trimmed.lowercased()
        guard let match = squares.first(where: { $0.code.lowercased() == wanted || $0.name.lowercased() == wanted })
                ?? squares.first(where: { BoundaryFile.slug($0.name) == BoundaryFile.slug(key) }) else {
            throw VacancyError.unknownSquare(key, known: squares.map(\.code))
        }
        return match
    }

    /// Records one check of a square; `at` may not lie in the future.
    @discardableResult
    public func addSquareCheck(_ check: NewSquareCheck, now: Date = Date()) throws -> SquareCheck {
        try write { db in try insertSquareCheck(check, db: db, now: now) }
    }

    /// Records the checks of a file in one transaction; the first refused row stops it, naming its line.
    public func importSquareChecks(_ rows: [(line: Int, check: NewSquareCheck)], file: String, now: Date = Date()) throws -> Int {
        try write { db in
            for row in rows {
                do { _ = try insertSquareCheck(row.check, db: db, now: now) } catch let error as any CityMapError {
                    throw ImportError(file: file, location: "line \(row.line)", field: error.parameter, message: error.message { $0 })
                }
            }
            return rows.count
        }
    }

    private func insertSquareCheck(_ check: NewSquareCheck, db: Database, now: Date) throws -> SquareCheck {
        let square = try Self.square(named: check.square, db: db)
        if check.at > now.addingTimeInterval(Self.clockSkew) {
            throw DomainError.invalidText(field: "at", reason: "\(Timestamp.short(check.at)) lies in the future; give when the square was checked")
        }
        let v = check.scores.values
        try db.execute(sql: """
            INSERT INTO square_checks (square_id, at, actor, note, cleanliness, seating, greenery, lighting, safety, liveliness, accessibility, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [square.id, Timestamp.utc(check.at), check.actor, check.note?.trimmed, v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                             Timestamp.utc(now)])
        return SquareCheck(id: db.lastInsertedRowID, square: square, at: check.at, scores: check.scores, actor: check.actor, note: check.note?.trimmed)
    }

    static func squareChecks(_ db: Database, condition: String, arguments: StatementArguments, squares: [Int64: Area]) throws -> [SquareCheck] {
        try Row.fetchAll(db, sql: """
            SELECT id, square_id, at, actor, note, cleanliness, seating, greenery, lighting, safety, liveliness, accessibility
            FROM square_checks WHERE \(condition) ORDER BY at, id
            """, arguments: arguments).compactMap { row in
            guard let square = squares[row["square_id"]] else { return nil }
            return SquareCheck(id: row["id"], square: square, at: try StoredValue.time(row["at"] as String, column: "square_checks.at"),
                               scores: try SquareScores(values: (5...11).map { row[$0] as Int }), actor: row["actor"], note: row["note"])
        }
    }

    /// Per square (by id), its latest check before `end` and the mean of the one before it.
    func latestSquareChecks(_ db: Database, before end: Date) throws -> [Int64: SquareCheckTrend] {
        let squares = Dictionary(uniqueKeysWithValues: try AreaRecord.fetchAll(
            db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'square'").map { ($0.area.id, $0.area) })
        var bySquare: [Int64: [SquareCheck]] = [:]
        for check in try Self.squareChecks(db, condition: "at < ?", arguments: [Timestamp.utc(end)], squares: squares) {
            bySquare[check.square.id, default: []].append(check)
        }
        return bySquare.compactMapValues { list in
            guard let latest = list.last else { return nil }
            return SquareCheckTrend(latest: latest, previousMean: list.count > 1 ? list[list.count - 2].scores.mean : nil)
        }
    }

    /// A square's checks, the reports placed on it and every change to them, oldest first (`square show`). Report
    /// lines give category and status, never descriptions or reporters.
    public func squareTimeline(_ key: String, since: Date? = nil) throws -> (square: Area, checks: [SquareCheck], entries: [SquareTimelineEntry]) {
        try read { db in
            let square = try Self.square(named: key, db: db)
            let from = Timestamp.utc(since ?? .distantPast)
            let checks = try Self.squareChecks(db, condition: "square_id = ? AND at >= ?", arguments: [square.id, from], squares: [square.id: square])
            var entries = checks.map { c in
                SquareTimelineEntry(at: c.at, kind: .check, id: c.id, text: "check: " + zip(SquareScores.criteria, c.scores.values)
                    .map { "\($0) \($1)" }.joined(separator: ", ") + String(format: "; mean %.2f", c.scores.mean) + (c.actor.map { " (\($0))" } ?? ""))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT r.id, r.category, r.subcategory, r.observed_at, e.kind, e.at, e.from_status, e.to_status
                FROM reports r JOIN report_events e ON e.report_id = r.id
                WHERE r.square_id = ? AND e.at >= ? AND e.kind IN ('created', 'status') ORDER BY e.at, e.id
                """, arguments: [square.id, from]) {
                let id: Int64 = row[0]
                let category = "\(row[1] as String)/\(row[2] as String)"
                if (row[4] as String) == "created" {
                    entries.append(SquareTimelineEntry(at: try StoredValue.time(row[3] as String, column: "reports.observed_at"), kind: .report,
                                                       id: id, text: "report #\(id): \(category)"))
                } else {
                    entries.append(SquareTimelineEntry(at: try StoredValue.time(row[5] as String, column: "report_events.at"), kind: .event, id: id,
                                                       text: "report #\(id) \(category): \(row[6] as String? ?? "–") → \(row[7] as String)"))
                }
            }
            entries.sort { ($0.at, $0.kind == .check ? 0 : 1, $0.id) < ($1.at, $1.kind == .check ? 0 : 1, $1.id) }
            return (square, checks, entries)
        }
    }
}
