import Foundation
import GRDB

/// A count now and in the period compared with.
public struct Change: Sendable {
    public let label: String
    public let current: Int
    public let previous: Int

    public var difference: Int { current - previous }
    /// Change in per cent of the previous count; nil ("new") where the previous period had nothing.
    public var percent: Double? { previous == 0 ? nil : Double(current - previous) / Double(previous) * 100 }
}

/// Breakdowns `--by` offers.
public enum BreakdownKey: String, CaseIterable, Sendable {
    case category, subcategory, status, square, week, month, weekday, hour
    case weekdayHour = "weekday-hour"
}

/// Time to first response and to resolution for one group of reports, in hours.
public struct ResponseTimes: Sendable {
    public let label: String
    public let reports: Int
    public let responded: Int
    public let resolved: Int
    public let medianFirstResponse: Double?
    public let p90FirstResponse: Double?
    public let medianResolution: Double?
    public let p90Resolution: Double?
}

/// An open concern that has had no response for longer than its category allows.
public struct OverdueReport: Sendable {
    public let id: Int64
    public let category: CategoryCode
    public let district: String?
    public let observedAt: Date
    public let ageDays: Int
    public let lastNote: String?
    let districtID: Int64?
}

/// One square at a glance: reports per category, the trend against the previous period, and how many are open.
public struct SquareScorecard: Sendable {
    public let square: String
    public let total: Change
    public let open: Int
    public let byCategory: [String: Int]
}

/// Everything the office reads about one district for one period.
public struct DistrictSummary: Sendable {
    public let district: Area
    public let total: Change
    public let open: Int
    public let byCategory: [Change]
    public let topSquares: [Change]
    public let scorecards: [SquareScorecard]
    public let responses: [ResponseTimes]
    public let overdue: [OverdueReport]
    public let breakdown: [Change]
}

/// What `citymap summary` is asked for.
public struct SummaryRequest: Sendable {
    public var districts: [String] = []
    public var period: Period
    public var by: BreakdownKey?
    /// Days after which an open concern without response is overdue, by category; `default` for the rest.
    public var overdueDays: [String: Int] = [:]
    public var defaultOverdueDays = 10
    public var now = Date()

    public init(period: Period) { self.period = period }
}

extension Store {
    /// Per district: totals and open counts, counts by category and the top squares against the previous
    /// period, response times, overdue concerns and an optional breakdown. Aggregates run in SQLite (one pass
    /// per section over the `observed_at` index); Swift only orders and formats.
    public func summary(_ request: SummaryRequest) throws -> [DistrictSummary] {
        try read { db in
            let all = try Row.fetchAll(db, sql: "SELECT id, kind, code, name, source FROM areas WHERE kind = 'district' ORDER BY name DESC")
                .map(Self.area(from:))
            var districts = all
            let wanted = request.districts.filter { $0.lowercased() != "all" }
            if !wanted.isEmpty {
                districts = try wanted.map { key in
                    guard let match = all.first(where: { $0.code.lowercased() == key.lowercased() || $0.name.lowercased() == key.lowercased() }) else {
                        throw SummaryError.unknownDistrict(key, known: all.map(\.code) + ["all"])
                    }
                    return match
                }
            }
            let current = request.period, previous = request.period.previous
            let ids = districts.map(\.id)
            let inDistricts = "r.district_id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))"
            // One pass per period gives categories, squares, scorecards and open counts for every district at once.
            typealias Cell = (district: Int64, category: String, square: String?, count: Int, open: Int)
            func cells(_ period: Period) throws -> [Cell] {
                try Row.fetchAll(db, sql: """
                    SELECT r.district_id, r.category, a.name, COUNT(*), SUM(r.status IN ('open', 'acknowledged', 'in-progress'))
                    FROM reports r LEFT JOIN areas a ON a.id = r.square_id
                    WHERE r.observed_at >= ? AND r.observed_at < ? AND \(inDistricts) GROUP BY 1, 2, 3
                    """, arguments: StatementArguments([Timestamp.utc(period.start), Timestamp.utc(period.end)]) + StatementArguments(ids))
                    .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
            }
            let now = try cells(current), before = try cells(previous)
            let responses = try responseTimes(db, districts: ids, period: current)
            let overdue = try Self.overdue(db, districtIDs: ids, request: request)
            let breakdowns = try request.by.map { try breakdown(db, key: $0, districts: ids, current: current, previous: previous) } ?? [:]
            return districts.map { district in
                let mine = now.filter { $0.district == district.id }, theirs = before.filter { $0.district == district.id }
                func changes(_ key: (Cell) -> String?, limit: Int? = nil) -> [Change] {
                    var a: [String: Int] = [:], b: [String: Int] = [:]
                    for c in mine { if let k = key(c) { a[k, default: 0] += c.count } }
                    for c in theirs { if let k = key(c) { b[k, default: 0] += c.count } }
                    var list = Set(a.keys).union(b.keys).map { Change(label: $0, current: a[$0] ?? 0, previous: b[$0] ?? 0) }
                    list.sort { $0.current != $1.current ? $0.current > $1.current : $0.label < $1.label }
                    return limit.map { Array(list.prefix($0)) } ?? list
                }
                let byCategory = changes { $0.category }
                let squares = changes({ $0.square })
                let scorecards: [SquareScorecard] = squares.map { square in
                    var byCategory: [String: Int] = [:]
                    var open = 0
                    for c in mine where c.square == square.label {
                        byCategory[c.category, default: 0] += c.count
                        open += c.open
                    }
                    return SquareScorecard(square: square.label, total: square, open: open, byCategory: byCategory)
                }
                return DistrictSummary(
                    district: district,
                    total: Change(label: "total", current: mine.reduce(0) { $0 + $1.count }, previous: theirs.reduce(0) { $0 + $1.count }),
                    open: mine.reduce(0) { $0 + $1.open }, byCategory: byCategory, topSquares: Array(squares.prefix(5)),
                    scorecards: scorecards, responses: responses[district.id] ?? [],
                    overdue: overdue.filter { $0.districtID == district.id }, breakdown: breakdowns[district.id] ?? [])
            }
        }
    }

    /// Median and 90th percentile of the hours from observation to the first status change after open, and to
    /// resolution, over the reports observed in the period: for the district, then per category.
    private func responseTimes(_ db: Database, districts: [Int64], period: Period) throws -> [Int64: [ResponseTimes]] {
        // Whole seconds (strftime '%s') keep the hours exact; julianday() differences drift by nanoseconds.
        let statement = try db.makeStatement(sql: """
            SELECT r.district_id, r.category,
                   (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL))
                    - strftime('%s', r.observed_at)) / 3600.0,
                   (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL
                                                                            AND e.to_status = 'resolved'))
                    - strftime('%s', r.observed_at)) / 3600.0
            FROM reports r WHERE r.observed_at >= ? AND r.observed_at < ? AND r.district_id IN (\(districts.map { _ in "?" }.joined(separator: ", ")))
            """)
        try statement.setArguments(StatementArguments([Timestamp.utc(period.start), Timestamp.utc(period.end)]) + StatementArguments(districts))
        let row = RowReader(handle: statement.sqliteStatement)
        typealias Group = (reports: Int, first: [Double], resolved: [Double])
        var byDistrict: [Int64: [String: Group]] = [:]
        while try row.step(connection: db.sqliteConnection) {
            let district = row.int64(0)
            let category = row.text(1).map { String(decoding: $0, as: UTF8.self) } ?? "–"
            for key in ["all", category] {
                var g = byDistrict[district, default: [:]][key] ?? (0, [], [])
                g.reports += 1
                if !row.isNull(2) { g.first.append(max(0, row.double(2))) }
                if !row.isNull(3) { g.resolved.append(max(0, row.double(3))) }
                byDistrict[district, default: [:]][key] = g
            }
        }
        return byDistrict.mapValues { groups in Self.responseTimes(groups) }
    }

    private static func responseTimes(_ groups: [String: (reports: Int, first: [Double], resolved: [Double])]) -> [ResponseTimes] {
        return groups.sorted { ($0.key == "all" ? "" : $0.key) < ($1.key == "all" ? "" : $1.key) }.map { key, g in
            ResponseTimes(label: key, reports: g.reports, responded: g.first.count, resolved: g.resolved.count,
                          medianFirstResponse: Percentile.of(g.first, 50), p90FirstResponse: Percentile.of(g.first, 90),
                          medianResolution: Percentile.of(g.resolved, 50), p90Resolution: Percentile.of(g.resolved, 90))
        }
    }

    /// Reports still `open` (no status change at all) observed longer ago than their category's threshold,
    /// oldest first, with the latest note of their history; nil districts means all reports.
    static func overdue(_ db: Database, districtIDs: [Int64]?, request: SummaryRequest) throws -> [OverdueReport] {
        func cutoff(_ days: Int) -> String { Timestamp.utc(request.now.addingTimeInterval(-Double(days) * 86_400)) }
        var arguments: StatementArguments = []
        var threshold = "?"
        if !request.overdueDays.isEmpty {
            threshold = "CASE r.category " + request.overdueDays.keys.sorted().map { _ in "WHEN ? THEN ?" }.joined(separator: " ") + " ELSE ? END"
            for key in request.overdueDays.keys.sorted() { arguments += [key, cutoff(request.overdueDays[key]!)] }
        }
        arguments += [cutoff(request.defaultOverdueDays)]
        var sql = """
            SELECT r.id, r.category, r.subcategory, r.observed_at, a.name, r.district_id,
                   (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
            FROM reports r LEFT JOIN areas a ON a.id = r.district_id
            WHERE r.status = 'open' AND r.observed_at < \(threshold)
            """
        if let districtIDs {
            sql += " AND r.district_id IN (\(districtIDs.map { _ in "?" }.joined(separator: ", ")))"
            arguments += StatementArguments(districtIDs)
        }
        sql += " ORDER BY r.observed_at, r.id"
        let utc = TimeZone(identifier: "UTC")!
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let observed = Timestamp.parse(row[3] as String, zone: utc) ?? request.now
            return OverdueReport(id: row[0], category: CategoryCode(category: row[1], subcategory: row[2]), district: row[4],
                                 observedAt: observed, ageDays: Int(request.now.timeIntervalSince(observed) / 86_400), lastNote: row[6],
                                 districtID: row[5])
        }
    }

    /// The open concerns without response past their threshold, across all districts (`citymap overdue`).
    public func overdue(_ request: SummaryRequest) throws -> [OverdueReport] {
        try read { db in try Self.overdue(db, districtIDs: nil, request: request) }
    }

    private func breakdown(_ db: Database, key: BreakdownKey, districts: [Int64], current: Period, previous: Period) throws -> [Int64: [Change]] {
        let local = LocalTimeSQL.expression("r.observed_at", from: previous.start, to: current.end)
        let expression: String
        switch key {
        case .category: expression = "r.category"
        case .subcategory: expression = "r.category || '/' || r.subcategory"
        case .status: expression = "r.status"
        case .square: expression = "COALESCE((SELECT a.name FROM areas a WHERE a.id = r.square_id), '(no square)')"
        case .week: expression = "date(\(local), 'weekday 0', '-6 days')"
        case .month: expression = "strftime('%Y-%m', \(local))"
        case .weekday: expression = "((CAST(strftime('%w', \(local)) AS INTEGER) + 6) % 7 + 1) || '-' || substr('MonTueWedThuFriSatSun', 1 + 3 * ((CAST(strftime('%w', \(local)) AS INTEGER) + 6) % 7), 3)"
        case .hour: expression = "strftime('%H', \(local))"
        case .weekdayHour: expression = "((CAST(strftime('%w', \(local)) AS INTEGER) + 6) % 7 + 1) || '-' || strftime('%H', \(local))"
        }
        func counts(_ period: Period) throws -> [Int64: [String: Int]] {
            var result: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT r.district_id, \(expression) AS k, COUNT(*) FROM reports r
                WHERE r.observed_at >= ? AND r.observed_at < ? AND r.district_id IN (\(districts.map { _ in "?" }.joined(separator: ", ")))
                GROUP BY 1, 2
                """, arguments: StatementArguments([Timestamp.utc(period.start), Timestamp.utc(period.end)]) + StatementArguments(districts)) {
                result[row[0], default: [:]][row[1] ?? "–"] = row[2]
            }
            return result
        }
        let now = try counts(current)
        let timeKey = [.week, .month, .weekday, .hour, .weekdayHour].contains(key)
        // Time buckets compare poorly across periods (other weeks, other months): only the current counts.
        let before = timeKey ? [:] : try counts(previous)
        var result: [Int64: [Change]] = [:]
        for district in districts {
            let a = now[district] ?? [:], b = before[district] ?? [:]
            var list = Set(a.keys).union(b.keys).map { Change(label: $0, current: a[$0] ?? 0, previous: b[$0] ?? 0) }
            list.sort { timeKey ? $0.label < $1.label : ($0.current != $1.current ? $0.current > $1.current : $0.label < $1.label) }
            result[district] = list
        }
        return result
    }
}
