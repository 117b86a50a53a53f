import Foundation
import GRDB

/// The SQL behind district summaries and the overdue list. Aggregates run in SQLite (one pass per section over
/// the `observed_at` index); `Summaries/` assembles and words the values.
extension Store {
    /// The summary of each district asked for (all by default), with the top hotspots when `request.hotspots` > 0.
    ///
    /// One pass over the reports of both periods gives the counts per district, category and square, the open
    /// counts, the response times (from the report's `first_response_at` and `resolved_at`, kept by the history's
    /// trigger) and the points for the hotspots; the overdue counts and lists come from the partial index of open
    /// reports. Cost: O(reports in the two periods) + O(open reports older than the smallest threshold).
    public func summary(_ request: SummaryRequest) throws -> SummaryReport {
        var (districts, points) = try read { db in try summaries(db, request) }
        if request.hotspots > 0 {
            // The districts' hotspots share nothing: each is clustered on a thread of its own (BENCHMARKS.md).
            let projector = try self.projector
            let limit = request.hotspots
            let clusterings = districts.map { summary in
                let found = points[summary.district.id]
                return Ahead { try found.map { try Self.hotspots(of: $0, projector: projector, limit: limit) } }
            }
            for k in districts.indices {
                if let clustering = try clusterings[k].value() { districts[k].hotspots = Array(clustering.clusters.prefix(limit)) }
            }
        }
        if try read({ db in try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM vacancy_units)") }) == 1 {
            let vacancy = try vacancyReport(VacancyDates.month(request.period))
            for k in districts.indices { districts[k].vacancy = vacancy.district(districts[k].district.code) }
        }
        var report = SummaryReport(period: request.period, compare: request.compare, overdueDays: request.overdue.defaultDays,
                                   hotspots: request.hotspots, districts: districts)
        report.topics = try taxonomy().categories.map(\.code)
        return report
    }

    /// One district's top hotspots, clustered in report order as `hotspots clusters` reads them, so that both
    /// number the clusters alike.
    static func hotspots(of found: DistrictPoints, projector: Projector, limit: Int) throws -> HotspotClustering {
        let order = found.ids.indices.sorted { found.ids[$0] < found.ids[$1] }
        return try HotspotClustering.build(points: ContiguousArray(order.map { found.points[$0] }),
                                           members: order.map { found.members[$0] },
                                           eps: HotspotClustering.defaultEps, minPoints: HotspotClustering.defaultMinPoints,
                                           projector: projector, limit: limit)
    }

    /// The hotspot input of one district's current period, gathered during the summary's pass.
    struct DistrictPoints {
        var ids: [Int64] = []
        var points: [ProjectedPoint] = []
        var members: [ClusterMember] = []

        mutating func add(id: Int64, point: ProjectedPoint, member: ClusterMember) {
            ids.append(id)
            points.append(point)
            members.append(member)
        }
    }

    private func summaries(_ db: Database, _ request: SummaryRequest) throws -> ([DistrictSummary], [Int64: DistrictPoints]) {
        let all = try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'district' ORDER BY name DESC").map(\.area)
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
        let pass = try periodPass(db, districts: districts, current: current, previous: previous, hotspots: request.hotspots > 0)
        // Platzchecks by district (the one each square belongs to) and square name.
        var checks: [String: [String: SquareCheckTrend]] = [:]
        for trend in try latestSquareChecks(db, before: current.end).values {
            if let code = trend.latest.square.district { checks[code, default: [:]][trend.latest.square.name] = trend }
        }
        let overdue = try overdueByDistrict(db, thresholds: request.overdue, now: request.now, districts: ids, limit: request.overdueLimit)
        let summaries = try districts.map { district in
            let breakdown = try request.by.map { key in
                DistrictSummary.breakdown(now: try counts(db, key: key, district: district.id, period: current, span: (previous, current)),
                                          before: key.isTime ? [:] : try counts(db, key: key, district: district.id, period: previous,
                                                                               span: (previous, current)),
                                          key: key)
            } ?? []
            return DistrictSummary.assemble(
                district: district, now: pass.now.filter { $0.district == district.id }, before: pass.before.filter { $0.district == district.id },
                responses: ResponseTimes.of(pass.samples[district.id] ?? [:]),
                overdue: overdue[district.id] ?? OverdueList(total: 0, oldest: []),
                breakdown: breakdown, checks: checks[district.code] ?? [:])
        }
        return (summaries, pass.points)
    }

    /// What one pass over the reports of the current and the previous period gives.
    struct PeriodPass {
        var now: [SummaryCell] = []
        var before: [SummaryCell] = []
        /// Per district, per group ("all", "agency: …", category): hours to first response and to resolution.
        var samples: [Int64: [String: ResponseTimes.Samples]] = [:]
        var points: [Int64: DistrictPoints] = [:]
    }

    /// Reads every report of the districts observed in [previous.start, current.end) once, in SQLite's own row
    /// format. Short periods take their ids from the `observed_at` index and read the rows in id order, so that each
    /// page is read once and in file order (a month and the one before, 150,000 of 1,000,000 reports scattered over
    /// the file: 0.52 s seeking a row per index entry, 0.30 s in id order, in sqlite3); when they cover most of the
    /// table, a plain table scan reads the pages in order (a year of 1,000,000 reports: 3.3 s by the index).
    private func periodPass(_ db: Database, districts: [Area], current: Period, previous: Period, hotspots: Bool) throws -> PeriodPass {
        let ids = districts.map(\.id)
        let squareAreas = try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = 'square'").map(\.area)
        let squares = Dictionary(uniqueKeysWithValues: squareAreas.map { ($0.id, $0.name) })
        let start = Timestamp.utc(previous.start), split = Timestamp.utc(current.start), end = Timestamp.utc(current.end)
        var useIndex = true
        if let row = try Row.fetchOne(db, sql: "SELECT MIN(observed_at), MAX(observed_at) FROM reports"),
           let first = (row[0] as String?).flatMap({ Timestamp.parse($0) }), let last = (row[1] as String?).flatMap({ Timestamp.parse($0) }),
           last > first {
            let covered = min(last, current.end).timeIntervalSince(max(first, previous.start))
            useIndex = covered < 0.25 * last.timeIntervalSince(first)
        }
        let statement = try db.makeStatement(sql: """
            SELECT r.district_id, r.category, r.square_id, r.status, r.observed_at, r.first_response_at, r.resolved_at, r.agency,
                   r.id, r.x, r.y
            FROM reports r \(useIndex ? "" : "NOT INDEXED")
            WHERE \(useIndex ? "r.id IN (SELECT id FROM reports INDEXED BY reports_observed_at WHERE observed_at >= ? AND observed_at < ?)"
                                 : "r.observed_at >= ? AND r.observed_at < ?")
              AND r.district_id IN (\(ReportQuery.placeholders(ids.count)))
            """)
        try statement.setArguments(StatementArguments([start, end]) + StatementArguments(ids))
        let row = RowReader(handle: statement.sqliteStatement)
        let responsibilities = try cachedResponsibilities()

        // Everything a row is counted under is a small integer, found without hashing text: districts, categories
        // (compared byte by byte with the few known) and squares (by id) index flat arrays. Per district, response
        // samples are kept per group: 0 "all", then each category's and each agency's.
        let statuses = ReportStatus.allCases.map { (Array($0.rawValue.utf8), $0) }
        var categories: [[UInt8]] = [], categoryNames: [String] = []
        func categoryIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            for (k, known) in categories.enumerated() where known.elementsEqual(bytes) { return k }
            categories.append(Array(bytes))
            categoryNames.append(String(decoding: bytes, as: UTF8.self))
            return categories.count - 1
        }
        let squareSlots = (squareAreas.map(\.id).max() ?? 0) + 2 // slot 0: no square
        struct Cell { var count = 0, open = 0 }
        var nowCells = [[Cell]](repeating: [], count: districts.count), beforeCells = nowCells
        var groupNames = [[String]](repeating: ["all"], count: districts.count)
        var groupIndex = [[String: Int]](repeating: ["all": 0], count: districts.count)
        var samples = [[ResponseTimes.Samples]](repeating: [ResponseTimes.Samples()], count: districts.count)
        var routed: [[(category: Int, agency: Int)?]] = Array(repeating: [], count: districts.count) // by category, unassigned
        var points = [DistrictPoints](repeating: DistrictPoints(), count: districts.count)
        func group(_ name: String, _ d: Int) -> Int {
            if let k = groupIndex[d][name] { return k }
            groupIndex[d][name] = groupNames[d].count
            groupNames[d].append(name)
            samples[d].append(ResponseTimes.Samples())
            return groupNames[d].count - 1
        }
        func groups(category c: Int, assigned: String?, district d: Int) -> (category: Int, agency: Int) {
            if assigned == nil, c < routed[d].count, let known = routed[d][c] { return known }
            let code = districts[d].code, name = categoryNames[c]
            let found = assigned.flatMap(responsibilities.agency(code:)) ?? responsibilities.agency(category: name, district: code)
            let result = (group(name, d), group("agency: " + (found?.name ?? assigned ?? "none"), d))
            if assigned == nil {
                while routed[d].count <= c { routed[d].append(nil) }
                routed[d][c] = result
            }
            return result
        }
        let splitBytes = Array(split.utf8)
        func hours(_ column: Int32, since observed: Date) -> Double? {
            guard let text = row.text(column), let at = Timestamp.parseStored(text) else { return nil }
            return max(0, at.timeIntervalSince(observed) / 3600)
        }
        while try row.step(connection: db.sqliteConnection) {
            guard let d = ids.firstIndex(of: row.int64(0)), let categoryBytes = row.text(1), let statusBytes = row.text(3),
                  let observedBytes = row.text(4) else { continue }
            guard let status = statuses.first(where: { $0.0.elementsEqual(statusBytes) })?.1 else {
                throw StorageError.unreadableValue(path: path, table: "reports", column: "status", value: row.string(3) ?? "NULL")
            }
            let c = categoryIndex(categoryBytes)
            let squareID = row.isNull(2) ? -1 : row.int64(2)
            let slot = c * Int(squareSlots) + Int(squareID + 1)
            let isCurrent = !observedBytes.lexicographicallyPrecedes(splitBytes)
            if isCurrent {
                if nowCells[d].count <= slot { nowCells[d] += Array(repeating: Cell(), count: slot + 1 - nowCells[d].count) }
                nowCells[d][slot].count += 1
                if status.isOpen { nowCells[d][slot].open += 1 }
            } else {
                if beforeCells[d].count <= slot { beforeCells[d] += Array(repeating: Cell(), count: slot + 1 - beforeCells[d].count) }
                beforeCells[d][slot].count += 1
                if status.isOpen { beforeCells[d][slot].open += 1 }
                continue
            }
            guard let observed = Timestamp.parseStored(observedBytes) else {
                throw StorageError.unreadableValue(path: path, table: "reports", column: "observed_at", value: row.string(4) ?? "NULL")
            }
            let g = groups(category: c, assigned: row.string(7), district: d)
            let firstResponse = hours(5, since: observed), resolution = hours(6, since: observed)
            samples[d][0].add(firstResponse: firstResponse, resolution: resolution)
            samples[d][g.category].add(firstResponse: firstResponse, resolution: resolution)
            samples[d][g.agency].add(firstResponse: firstResponse, resolution: resolution)
            if hotspots {
                points[d].add(id: row.int64(8), point: ProjectedPoint(x: row.double(9), y: row.double(10)),
                              member: ClusterMember(category: categoryNames[c], status: status, observedAt: observed,
                                                    district: districts[d].name, square: squares[squareID]))
            }
        }
        var pass = PeriodPass()
        for (d, district) in districts.enumerated() {
            func cells(_ table: [Cell]) -> [SummaryCell] {
                table.enumerated().compactMap { slot, cell in
                    guard cell.count > 0 else { return nil }
                    let square = Int64(slot % Int(squareSlots)) - 1
                    return SummaryCell(district: district.id, category: categoryNames[slot / Int(squareSlots)], square: squares[square],
                                       count: cell.count, open: cell.open)
                }
            }
            pass.now += cells(nowCells[d])
            pass.before += cells(beforeCells[d])
            if samples[d][0].reports > 0 {
                pass.samples[district.id] = Dictionary(uniqueKeysWithValues: zip(groupNames[d], samples[d]))
            }
            if !points[d].ids.isEmpty { pass.points[district.id] = points[d] }
        }
        return pass
    }

    /// The two ways a concern is overdue, as SQL over the two partial indexes: `open` (no status change at all) and
    /// observed longer ago than its category's threshold (`reports_open_observed`), or assigned with a due date that
    /// has passed and still open in any sense (`reports_due`; those already counted by the first are left out).
    struct OverdueConditions {
        let waiting: String
        let waitingArguments: StatementArguments
        let pastDue: String
        let pastDueArguments: StatementArguments

        init(_ thresholds: OverdueThresholds, now: Date) {
            func cutoff(_ days: Int) -> String { Timestamp.utc(now.addingTimeInterval(-Double(days) * 86_400)) }
            var arguments: StatementArguments = []
            var threshold = "?"
            let categories = thresholds.byCategory.keys.sorted()
            if !categories.isEmpty {
                threshold = "CASE r.category " + categories.map { _ in "WHEN ? THEN ?" }.joined(separator: " ") + " ELSE ? END"
                for key in categories { arguments += [key, cutoff(thresholds.byCategory[key]!)] }
            }
            arguments += [cutoff(thresholds.defaultDays)]
            // The latest cutoff bounds the index range; the threshold per category filters within it.
            let latest = cutoff(([thresholds.defaultDays] + Array(thresholds.byCategory.values)).min() ?? thresholds.defaultDays)
            let isWaiting = "r.status = 'open' AND r.observed_at < ? AND r.observed_at < \(threshold)"
            waiting = isWaiting
            waitingArguments = [latest] + arguments
            pastDue = "r.due_at IS NOT NULL AND r.due_at < ? AND r.status IN (\(ReportQuery.openStatuses)) AND NOT (\(isWaiting))"
            pastDueArguments = [Timestamp.utc(now), latest] + arguments
        }
    }

    private static let overdueColumns = """
        SELECT r.id, r.category, r.subcategory, r.observed_at, a.name,
               (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1),
               a.code, r.agency, r.due_at
        """

    /// Calls `body` with each overdue concern, oldest first (observation, then id), skipping `offset` and stopping after
    /// `limit`; `district` nil means all. Streams: the open reports come in the partial index's order, so memory stays
    /// flat however many there are (only the few past their due date are held, to merge them in).
    func eachOverdue(_ db: Database, thresholds: OverdueThresholds, now: Date, district: Int64?, limit: Int?, offset: Int,
                     _ body: (OverdueReport) throws -> Void) throws {
        let conditions = OverdueConditions(thresholds, now: now)
        var districtFilter = "", districtArguments: StatementArguments = []
        if let district {
            districtFilter = " AND r.district_id = ?"
            districtArguments = [district]
        }
        let page = limit.map { max(0, $0) + max(0, offset) }
        let responsibilities = try cachedResponsibilities()
        func report(_ row: Row) throws -> OverdueReport {
            let observed = try StoredValue.time(row[3] as String, column: "reports.observed_at")
            let category = CategoryCode(category: row[1], subcategory: row[2])
            var report = OverdueReport(id: row[0], category: category, district: row[4], observedAt: observed,
                                       ageDays: Int(now.timeIntervalSince(observed) / 86_400), lastNote: row[5])
            let assigned: String? = row[7]
            report.isAssigned = assigned != nil
            report.agency = (assigned.flatMap(responsibilities.agency(code:)) ?? responsibilities.agency(category: category.category, district: row[6]))?.name
                ?? assigned
            report.dueAt = try (row[8] as String?).map { try StoredValue.time($0, column: "reports.due_at") }
            return report
        }
        let tail = " ORDER BY r.observed_at, r.id" + (page.map { " LIMIT \($0)" } ?? "")
        var pastDue = try Row.fetchAll(db, sql: Self.overdueColumns + """
             FROM reports r INDEXED BY reports_due LEFT JOIN areas a ON a.id = r.district_id
             WHERE \(conditions.pastDue)\(districtFilter)
            """ + tail, arguments: conditions.pastDueArguments + districtArguments).map(report)[...]
        let waiting = try Row.fetchCursor(db, sql: Self.overdueColumns + """
             FROM reports r INDEXED BY reports_open_observed LEFT JOIN areas a ON a.id = r.district_id
             WHERE \(conditions.waiting)\(districtFilter)
            """ + tail, arguments: conditions.waitingArguments + districtArguments)
        var position = 0
        func emit(_ report: OverdueReport) throws -> Bool {
            defer { position += 1 }
            if position < offset { return true }
            if let page, position >= page { return false }
            try body(report)
            return true
        }
        func before(_ a: OverdueReport, _ b: OverdueReport) -> Bool { (a.observedAt, a.id) < (b.observedAt, b.id) }
        while let row = try waiting.next() {
            let next = try report(row)
            while let due = pastDue.first, before(due, next) {
                pastDue = pastDue.dropFirst()
                guard try emit(due) else { return }
            }
            guard try emit(next) else { return }
        }
        for due in pastDue { guard try emit(due) else { return } }
    }

    /// How many concerns are overdue in each district (key nil: outside every district), from the indexes alone.
    func overdueCounts(_ db: Database, thresholds: OverdueThresholds, now: Date) throws -> [Int64?: Int] {
        let conditions = OverdueConditions(thresholds, now: now)
        var counts: [Int64?: Int] = [:]
        for (index, condition, arguments) in [("reports_open_observed", conditions.waiting, conditions.waitingArguments),
                                              ("reports_due", conditions.pastDue, conditions.pastDueArguments)] {
            for row in try Row.fetchAll(db, sql: "SELECT r.district_id, COUNT(*) FROM reports r INDEXED BY \(index) WHERE \(condition) GROUP BY 1",
                                        arguments: arguments) {
                counts[row[0] as Int64?, default: 0] += row[1] as Int
            }
        }
        return counts
    }

    /// Each district's overdue total and its oldest `limit`.
    func overdueByDistrict(_ db: Database, thresholds: OverdueThresholds, now: Date, districts: [Int64], limit: Int) throws -> [Int64: OverdueList] {
        let counts = try overdueCounts(db, thresholds: thresholds, now: now)
        var result: [Int64: OverdueList] = [:]
        for district in districts {
            var oldest: [OverdueReport] = []
            if limit > 0 {
                try eachOverdue(db, thresholds: thresholds, now: now, district: district, limit: limit, offset: 0) { oldest.append($0) }
            }
            result[district] = OverdueList(total: counts[district] ?? 0, oldest: oldest)
        }
        return result
    }

    /// The open concerns without response past their threshold, across all districts, oldest first: one page of them
    /// (`limit` nil: all) and how many there are in all.
    public func overdue(_ thresholds: OverdueThresholds, now: Date = Date(), limit: Int? = nil, offset: Int = 0) throws -> OverdueList {
        try read { db in
            var list: [OverdueReport] = []
            try eachOverdue(db, thresholds: thresholds, now: now, district: nil, limit: limit, offset: offset) { list.append($0) }
            return OverdueList(total: try overdueCounts(db, thresholds: thresholds, now: now).values.reduce(0, +), oldest: list)
        }
    }

    /// `citymap overdue`: every overdue concern (or one page) to `body`, oldest first, with flat memory; `start` is
    /// told how many there are in all before the first. One read, so the total and the list agree.
    public func eachOverdue(_ thresholds: OverdueThresholds, now: Date = Date(), offset: Int = 0, limit: Int? = nil,
                            start: (Int) throws -> Void, _ body: (OverdueReport) throws -> Void) throws {
        try read { db in
            try start(try overdueCounts(db, thresholds: thresholds, now: now).values.reduce(0, +))
            try eachOverdue(db, thresholds: thresholds, now: now, district: nil, limit: limit, offset: offset, body)
        }
    }

    /// Counts of one district's reports in a period, by the breakdown key.
    private func counts(_ db: Database, key: BreakdownKey, district: Int64, period: Period, span: (Period, Period)) throws -> [String: Int] {
        let local = LocalTimeSQL.expression("r.observed_at", from: span.0.start, to: span.1.end)
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
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT \(expression) AS k, COUNT(*) FROM reports r
            WHERE r.observed_at >= ? AND r.observed_at < ? AND r.district_id = ? GROUP BY 1
            """, arguments: [Timestamp.utc(period.start), Timestamp.utc(period.end), district]) {
            result[row[0] ?? "–"] = row[1]
        }
        return result
    }
}
