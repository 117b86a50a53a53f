import Foundation

/// A count now and in the period compared with.
public struct Change: Sendable, Encodable {
    public let label: String
    public let current: Int
    public let previous: Int

    public var difference: Int { current - previous }
    /// Change in per cent of the previous count; nil ("new") where the previous period had nothing.
    public var percent: Double? { previous == 0 ? nil : Double(current - previous) / Double(previous) * 100 }

    enum CodingKeys: String, CodingKey { case label, current, previous, change, changePercent = "change_percent" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(current, forKey: .current)
        try c.encode(previous, forKey: .previous)
        try c.encode(difference, forKey: .change)
        try c.encode(percent.map { ($0 * 10).rounded() / 10 }, forKey: .changePercent)
    }
}

/// Breakdowns `--by` offers.
public enum BreakdownKey: String, CaseIterable, Sendable {
    case category, subcategory, status, square, week, month, weekday, hour
    case weekdayHour = "weekday-hour"

    /// Time buckets: compared across periods they mean little (other weeks, other months), so only the current counts.
    var isTime: Bool { [.week, .month, .weekday, .hour, .weekdayHour].contains(self) }
}

/// Time to first response and to resolution for one group of reports, in hours.
public struct ResponseTimes: Sendable, Encodable {
    public let label: String
    public let reports: Int
    public let responded: Int
    public let resolved: Int
    public let medianFirstResponse: Double?
    public let p90FirstResponse: Double?
    public let medianResolution: Double?
    public let p90Resolution: Double?

    enum CodingKeys: String, CodingKey {
        case label = "group", reports, responded, resolved, medianFirstResponse = "median_first_response"
        case p90FirstResponse = "p90_first_response", medianResolution = "median_resolution", p90Resolution = "p90_resolution"
    }

    /// Hours from observation to the first response and to resolution, per report of one group.
    struct Samples {
        var reports = 0
        var firstResponse: [Double] = []
        var resolution: [Double] = []

        mutating func add(firstResponse hours: Double?, resolution: Double?) {
            reports += 1
            if let hours { firstResponse.append(hours) }
            if let resolution { self.resolution.append(resolution) }
        }
    }

    /// Median and 90th percentile (numpy's linear method) per group; "all" first, then the groups by name.
    static func of(_ groups: [String: Samples]) -> [ResponseTimes] {
        groups.sorted { ($0.key == "all" ? "" : $0.key) < ($1.key == "all" ? "" : $1.key) }.map { key, g in
            let response = g.firstResponse.sorted(), resolution = g.resolution.sorted()
            return ResponseTimes(label: key, reports: g.reports, responded: response.count, resolved: resolution.count,
                                 medianFirstResponse: Percentile.of(sorted: response, 50), p90FirstResponse: Percentile.of(sorted: response, 90),
                                 medianResolution: Percentile.of(sorted: resolution, 50), p90Resolution: Percentile.of(sorted: resolution, 90))
        }
    }
}

/// An open concern that has had no response for longer than its category allows, or that its assigned agency has
/// not finished by the due date.
public struct OverdueReport: Sendable, Encodable {
    public let id: Int64
    public let category: CategoryCode
    public let district: String?
    public let observedAt: Date
    public let ageDays: Int
    public let lastNote: String?
    /// The agency that acts: the one assigned (`citymap assign`), else the default routing's.
    public var agency: String? = nil
    /// Whether the agency was assigned, rather than named by the default routing.
    public var isAssigned = false
    /// The due date of the assignment, if it has one.
    public var dueAt: Date? = nil

    enum CodingKeys: String, CodingKey {
        case id, category, district, observedAt = "observed_at", ageDays = "age_days", lastNote = "last_note", agency
        case isAssigned = "assigned", dueAt = "due_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(category.description, forKey: .category)
        try c.encode(district, forKey: .district)
        try c.encode(Timestamp.local(observedAt), forKey: .observedAt)
        try c.encode(ageDays, forKey: .ageDays)
        try c.encode(lastNote, forKey: .lastNote)
        try c.encode(agency, forKey: .agency)
        try c.encode(isAssigned, forKey: .isAssigned)
        try c.encode(dueAt.map { Timestamp.local($0) }, forKey: .dueAt)
    }
}

/// One agency's share of the overdue concerns (`citymap overdue --by agency`): who is late, and how late.
public struct AgencyOverdue: Sendable, Encodable {
    public let agency: String
    public let overdue: Int
    /// Of these, assigned with a due date that has passed.
    public let pastDue: Int
    public let oldestDays: Int

    enum CodingKeys: String, CodingKey { case agency, overdue, pastDue = "past_due", oldestDays = "oldest_days" }
}

/// The overdue concerns of one district (or of all): the oldest few, and how many there are in all.
public struct OverdueList: Sendable, Encodable {
    public let total: Int
    /// Oldest first, at most the limit asked for.
    public let oldest: [OverdueReport]
}

/// One square at a glance: reports per category, the trend against the previous period, and how many are open.
public struct SquareScorecard: Sendable, Encodable {
    public let square: String
    public let total: Change
    public let open: Int
    public let byCategory: [String: Int]
    /// The latest Platzcheck before the period's end, and the change of its mean against the check before.
    public var check: SquareCheckTrend? = nil

    enum CodingKeys: String, CodingKey { case square, total, open, byCategory = "by_category", check }
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
    public let overdue: OverdueList
    public let breakdown: [Change]
    /// The top hotspots of the period (default DBSCAN), when asked for.
    public var hotspots: [HotspotCluster] = []
    /// The Leerstand figures of the district at the period's end, when the register has units.
    public var vacancy: VacancyGroup? = nil
}

/// One row of the counts a summary is built from: reports of one district, category and square in one period.
struct SummaryCell {
    let district: Int64
    let category: String
    let square: String?
    let count: Int
    let open: Int
}

extension DistrictSummary {
    /// Builds a district's summary from the period's counts and the previous period's (`SummaryCell`s of this
    /// district only): categories and squares by count, the top 5 squares, and a scorecard per square.
    /// `checks` are the latest Platzchecks of the district's squares, by square name: a square checked but without
    /// reports still gets its scorecard.
    static func assemble(district: Area, now mine: [SummaryCell], before theirs: [SummaryCell], responses: [ResponseTimes],
                         overdue: OverdueList, breakdown: [Change], checks: [String: SquareCheckTrend] = [:]) -> DistrictSummary {
        func changes(_ key: (SummaryCell) -> String?) -> [Change] {
            var a: [String: Int] = [:], b: [String: Int] = [:]
            for c in mine { if let k = key(c) { a[k, default: 0] += c.count } }
            for c in theirs { if let k = key(c) { b[k, default: 0] += c.count } }
            var list = Set(a.keys).union(b.keys).map { Change(label: $0, current: a[$0] ?? 0, previous: b[$0] ?? 0) }
            list.sort { $0.current != $1.current ? $0.current > $1.current : $0.label < $1.label }
            return list
        }
        let squares = changes { $0.square }
        let checkedOnly = checks.keys.filter { name in !squares.contains { $0.label == name } }.sorted()
            .map { Change(label: $0, current: 0, previous: 0) }
        let scorecards: [SquareScorecard] = (squares + checkedOnly).map { square in
            var byCategory: [String: Int] = [:]
            var open = 0
            for c in mine where c.square == square.label {
                byCategory[c.category, default: 0] += c.count
                open += c.open
            }
            return SquareScorecard(square: square.label, total: square, open: open, byCategory: byCategory, check: checks[square.label])
        }
        return DistrictSummary(
            district: district,
            total: Change(label: "total", current: mine.reduce(0) { $0 + $1.count }, previous: theirs.reduce(0) { $0 + $1.count }),
            open: mine.reduce(0) { $0 + $1.open }, byCategory: changes { $0.category }, topSquares: Array(squares.prefix(5)),
            scorecards: scorecards, responses: responses, overdue: overdue, breakdown: breakdown)
    }

    /// Counts per key now and before, ordered by count (time buckets by key).
    static func breakdown(now: [String: Int], before: [String: Int], key: BreakdownKey) -> [Change] {
        var list = Set(now.keys).union(before.keys).map { Change(label: $0, current: now[$0] ?? 0, previous: before[$0] ?? 0) }
        list.sort { key.isTime ? $0.label < $1.label : ($0.current != $1.current ? $0.current > $1.current : $0.label < $1.label) }
        return list
    }
}

/// What `citymap summary` and `GET /api/summary` are asked for.
public struct SummaryRequest: Sendable {
    public var districts: [String] = []
    public var period: Period
    public var by: BreakdownKey?
    /// Whether to compare with the previous period.
    public var compare = true
    public var overdue = OverdueThresholds()
    /// How many of the oldest overdue concerns each district lists (the total is always given).
    public var overdueLimit = 20
    /// How many hotspots per district to find (DBSCAN, 30 m, 5 reports); 0 leaves them out.
    public var hotspots = 3
    public var now = Date()

    public init(period: Period) { self.period = period }
}
