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
}

/// Everything the office reads about one district for one period.
public struct DistrictSummary: Sendable {
    public let district: Area
    public let total: Change
    public let open: Int
    public let byCategory: [Change]
    public let topSquares: [Change]
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
            return try districts.map { district in
                func counts(_ sql: String, _ period: Period) throws -> [String: Int] {
                    var result: [String: Int] = [:]
                    for row in try Row.fetchAll(db, sql: sql, arguments: [district.id, Timestamp.utc(period.start), Timestamp.utc(period.end)]) {
                        result[row[0] ?? "–"] = row[1]
                    }
                    return result
                }
                func changes(_ sql: String, limit: Int? = nil) throws -> [Change] {
                    let now = try counts(sql, current), before = try counts(sql, previous)
                    var list = Set(now.keys).union(before.keys).map { Change(label: $0, current: now[$0] ?? 0, previous: before[$0] ?? 0) }
                    list.sort { $0.current != $1.current ? $0.current > $1.current : $0.label < $1.label }
                    if let limit { list = Array(list.prefix(limit)) }
                    return list
                }
                let window = "district_id = ? AND observed_at >= ? AND observed_at < ?"
                let byCategory = try changes("SELECT category, COUNT(*) FROM reports WHERE \(window) GROUP BY category")
                let total = Change(label: "total", current: byCategory.reduce(0) { $0 + $1.current },
                                   previous: byCategory.reduce(0) { $0 + $1.previous })
                let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports WHERE \(window) AND status IN ('open', 'acknowledged', 'in-progress')",
                                            arguments: [district.id, Timestamp.utc(current.start), Timestamp.utc(current.end)]) ?? 0
                let squares = try changes("""
                    SELECT a.name, COUNT(*) FROM reports r JOIN areas a ON a.id = r.square_id
                    WHERE r.\(window.replacingOccurrences(of: " AND ", with: " AND r.")) GROUP BY a.name
                    """, limit: 5)
                return DistrictSummary(
                    district: district, total: total, open: open, byCategory: byCategory, topSquares: squares,
                    responses: try responseTimes(db, district: district, period: current),
                    overdue: try overdue(db, district: district, request: request),
                    breakdown: try request.by.map { try breakdown(db, key: $0, district: district, current: current, previous: previous) } ?? [])
            }
        }
    }

    /// Median and 90th percentile of the hours from observation to the first status change after open, and to
    /// resolution, over the reports observed in the period: for the district, then per category.
    private func responseTimes(_ db: Database, district: Area, period: Period) throws -> [ResponseTimes] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.category, r.observed_at,
                   (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL),
                   (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL AND e.to_status = 'resolved')
            FROM reports r WHERE r.district_id = ? AND r.observed_at >= ? AND r.observed_at < ?
            """, arguments: [district.id, Timestamp.utc(period.start), Timestamp.utc(period.end)])
        let utc = TimeZone(identifier: "UTC")!
        var groups: [String: (reports: Int, first: [Double], resolved: [Double])] = [:]
        for row in rows {
            guard let observed = Timestamp.parse(row[1] as String, zone: utc) else { continue }
            let hours = { (text: String?) -> Double? in
                text.flatMap { Timestamp.parse($0, zone: utc) }.map { max(0, $0.timeIntervalSince(observed) / 3600) }
            }
            for key in ["all", row[0] as String] {
                var g = groups[key] ?? (0, [], [])
                g.reports += 1
                if let h = hours(row[2]) { g.first.append(h) }
                if let h = hours(row[3]) { g.resolved.append(h) }
                groups[key] = g
            }
        }
        return groups.sorted { ($0.key == "all" ? "" : $0.key) < ($1.key == "all" ? "" : $1.key) }.map { key, g in
            ResponseTimes(label: key, reports: g.reports, responded: g.first.count, resolved: g.resolved.count,
                          medianFirstResponse: Percentile.of(g.first, 50), p90FirstResponse: Percentile.of(g.first, 90),
                          medianResolution: Percentile.of(g.resolved, 50), p90Resolution: Percentile.of(g.resolved, 90))
        }
    }

    /// Reports still `open` (no status change at all) observed longer ago than their category's threshold,
    /// oldest first, with the latest note of their history.
    private func overdue(_ db: Database, district: Area, request: SummaryRequest) throws -> [OverdueReport] {
        try Self.overdue(db, districtID: district.id, request: request)
    }

    static func overdue(_ db: Database, districtID: Int64?, request: SummaryRequest) throws -> [OverdueReport] {
        func cutoff(_ days: Int) -> String { Timestamp.utc(request.now.addingTimeInterval(-Double(days) * 86_400)) }
        var arguments: StatementArguments = []
        var threshold = "?"
        if !request.overdueDays.isEmpty {
            threshold = "CASE r.category " + request.overdueDays.keys.sorted().map { _ in "WHEN ? THEN ?" }.joined(separator: " ") + " ELSE ? END"
            for key in request.overdueDays.keys.sorted() { arguments += [key, cutoff(request.overdueDays[key]!)] }
        }
        arguments += [cutoff(request.defaultOverdueDays)]
        var sql = """
            SELECT r.id, r.category, r.subcategory, r.observed_at, a.name,
                   (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
            FROM reports r LEFT JOIN areas a ON a.id = r.district_id
            WHERE r.status = 'open' AND r.observed_at < \(threshold)
            """
        if let districtID {
            sql += " AND r.district_id = ?"
            arguments += [districtID]
        }
        sql += " ORDER BY r.observed_at, r.id"
        let utc = TimeZone(identifier: "UTC")!
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let observed = Timestamp.parse(row[3] as String, zone: utc) ?? request.now
            return OverdueReport(id: row[0], category: CategoryCode(category: row[1], subcategory: row[2]), district: row[4],
                                 observedAt: observed, ageDays: Int(request.now.timeIntervalSince(observed) / 86_400), lastNote: row[5])
        }
    }

    /// The open concerns without response past their threshold, across all districts (`citymap overdue`).
    public func overdue(_ request: SummaryRequest) throws -> [OverdueReport] {
        try read { db in try Self.overdue(db, districtID: nil, request: request) }
    }

    private func breakdown(_ db: Database, key: BreakdownKey, district: Area, current: Period, previous: Period) throws -> [Change] {
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
        func counts(_ period: Period) throws -> [String: Int] {
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT \(expression) AS k, COUNT(*) FROM reports r
                WHERE r.district_id = ? AND r.observed_at >= ? AND r.observed_at < ? GROUP BY k
                """, arguments: [district.id, Timestamp.utc(period.start), Timestamp.utc(period.end)]) {
                result[row[0] ?? "–"] = row[1]
            }
            return result
        }
        let now = try counts(current)
        let timeKey = [.week, .month, .weekday, .hour, .weekdayHour].contains(key)
        // Time buckets compare poorly across periods (other weeks, other months): only the current counts.
        let before = timeKey ? [:] : try counts(previous)
        var list = Set(now.keys).union(before.keys).map { Change(label: $0, current: now[$0] ?? 0, previous: before[$0] ?? 0) }
        list.sort { timeKey ? $0.label < $1.label : ($0.current != $1.current ? $0.current > $1.current : $0.label < $1.label) }
        return list
    }
}
