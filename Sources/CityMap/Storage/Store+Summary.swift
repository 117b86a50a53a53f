import Foundation
import GRDB

/// The SQL behind district summaries and the overdue list. Aggregates run in SQLite (one pass per section over
/// the `observed_at` index); `Summaries/` assembles and words the values.
extension Store {
    /// The summary of each district asked for (all by default), with the top hotspots when `request.hotspots` > 0.
    public func summary(_ request: SummaryRequest) throws -> SummaryReport {
        var districts = try read { db in try summaries(db, request) }
        if try read({ db in try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM vacancy_units)") }) == 1 {
            let vacancy = try vacancyReport(VacancyDates.month(request.period))
            for k in districts.indices { districts[k].vacancy = vacancy.district(districts[k].district.code) }
        }
        if request.hotspots > 0 {
            for k in districts.indices {
                var filter = ReportFilter()
                filter.districts = [districts[k].district.code]
                filter.since = request.period.start
                filter.until = request.period.end
                districts[k].hotspots = Array(try hotspotClusters(matching: filter).clusters.prefix(request.hotspots))
            }
        }
        var report = SummaryReport(period: request.period, compare: request.compare, overdueDays: request.overdue.defaultDays,
                                   hotspots: request.hotspots, districts: districts)
        report.topics = try taxonomy().categories.map(\.code)
        return report
    }

    private func summaries(_ db: Database, _ request: SummaryRequest) throws -> [DistrictSummary] {
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
        let inDistricts = "r.district_id IN (\(ReportQuery.placeholders(ids.count)))"
        // One pass per period gives categories, squares, scorecards and open counts for every district at once.
        func cells(_ period: Period) throws -> [SummaryCell] {
            try Row.fetchAll(db, sql: """
                SELECT r.district_id, r.category, a.name, COUNT(*), SUM(r.status IN (\(ReportQuery.openStatuses)))
                FROM reports r LEFT JOIN areas a ON a.id = r.square_id
                WHERE r.observed_at >= ? AND r.observed_at < ? AND \(inDistricts) GROUP BY 1, 2, 3
                """, arguments: StatementArguments([Timestamp.utc(period.start), Timestamp.utc(period.end)]) + StatementArguments(ids))
                .map { SummaryCell(district: $0[0], category: $0[1], square: $0[2], count: $0[3], open: $0[4]) }
        }
        let now = try cells(current), before = try cells(previous)
        let responses = try responseTimes(db, districts: ids, period: current)
        // Platzchecks by district (the one each square belongs to) and square name.
        var checks: [String: [String: SquareCheckTrend]] = [:]
        for trend in try latestSquareChecks(db, before: current.end).values {
            if let code = trend.latest.square.district { checks[code, default: [:]][trend.latest.square.name] = trend }
        }
        return try districts.map { district in
            let breakdown = try request.by.map { key in
                DistrictSummary.breakdown(now: try counts(db, key: key, district: district.id, period: current, span: (previous, current)),
                                          before: key.isTime ? [:] : try counts(db, key: key, district: district.id, period: previous,
                                                                               span: (previous, current)),
                                          key: key)
            } ?? []
            return DistrictSummary.assemble(
                district: district, now: now.filter { $0.district == district.id }, before: before.filter { $0.district == district.id },
                responses: responses[district.id] ?? [],
                overdue: try overdue(db, thresholds: request.overdue, now: request.now, district: district.id,
                                     limit: request.overdueLimit, offset: 0),
                breakdown: breakdown, checks: checks[district.code] ?? [:])
        }
    }

    /// Hours from observation to the first status change after open, and to resolution, over the reports observed
    /// in the period: for each district, then per agency that acts ("agency: AWISTA …", assigned or by the default
    /// routing), then per category.
    private func responseTimes(_ db: Database, districts: [Int64], period: Period) throws -> [Int64: [ResponseTimes]] {
        // Whole seconds (strftime '%s') keep the hours exact; julianday() differences drift by nanoseconds.
        let statement = try db.makeStatement(sql: """
            SELECT r.district_id, r.category,
                   (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.kind = 'status'))
                    - strftime('%s', r.observed_at)) / 3600.0,
                   (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.kind = 'status'
                                                                            AND e.to_status = 'resolved'))
                    - strftime('%s', r.observed_at)) / 3600.0,
                   r.agency, (SELECT a.code FROM areas a WHERE a.id = r.district_id)
            FROM reports r WHERE r.observed_at >= ? AND r.observed_at < ? AND r.district_id IN (\(ReportQuery.placeholders(districts.count)))
            """)
        try statement.setArguments(StatementArguments([Timestamp.utc(period.start), Timestamp.utc(period.end)]) + StatementArguments(districts))
        let row = RowReader(handle: statement.sqliteStatement)
        let responsibilities = try cachedResponsibilities()
        var agencyNames: [String: String] = [:] // "category|district|assigned" → "agency: NAME", computed once each
        var byDistrict: [Int64: [String: ResponseTimes.Samples]] = [:]
        while try row.step(connection: db.sqliteConnection) {
            let district = row.int64(0)
            let category = row.text(1).map { String(decoding: $0, as: UTF8.self) } ?? "–"
            let assigned = row.string(4), districtCode = row.string(5)
            let lookup = "\(category)|\(districtCode ?? "")|\(assigned ?? "")"
            let agency: String
            if let known = agencyNames[lookup] { agency = known } else {
                let found = assigned.flatMap(responsibilities.agency(code:)) ?? responsibilities.agency(category: category, district: districtCode)
                agency = "agency: " + (found?.name ?? assigned ?? "none")
                agencyNames[lookup] = agency
            }
            for key in ["all", agency, category] {
                var g = byDistrict[district, default: [:]][key] ?? ResponseTimes.Samples()
                g.reports += 1
                if !row.isNull(2) { g.firstResponse.append(max(0, row.double(2))) }
                if !row.isNull(3) { g.resolution.append(max(0, row.double(3))) }
                byDistrict[district, default: [:]][key] = g
            }
        }
        return byDistrict.mapValues(ResponseTimes.of)
    }

    /// Reports still `open` (no status change at all) observed longer ago than their category's threshold,
    /// oldest first, with the latest note of their history: one page of them, and how many there are in all.
    /// `district` nil means all reports.
    func overdue(_ db: Database, thresholds: OverdueThresholds, now: Date, district: Int64?, limit: Int?, offset: Int) throws -> OverdueList {
        func cutoff(_ days: Int) -> String { Timestamp.utc(now.addingTimeInterval(-Double(days) * 86_400)) }
        var arguments: StatementArguments = []
        var threshold = "?"
        let categories = thresholds.byCategory.keys.sorted()
        if !categories.isEmpty {
            threshold = "CASE r.category " + categories.map { _ in "WHEN ? THEN ?" }.joined(separator: " ") + " ELSE ? END"
            for key in categories { arguments += [key, cutoff(thresholds.byCategory[key]!)] }
        }
        arguments += [cutoff(thresholds.defaultDays)]
        // Overdue: no response at all past the category's threshold, or assigned and not closed by the due date.
        var condition = "((r.status = 'open' AND r.observed_at < \(threshold)) OR (r.due_at < ? AND r.status IN (\(ReportQuery.openStatuses))))"
        arguments += [Timestamp.utc(now)]
        if let district {
            condition += " AND r.district_id = ?"
            arguments += [district]
        }
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports r WHERE \(condition)", arguments: arguments) ?? 0
        var sql = """
            SELECT r.id, r.category, r.subcategory, r.observed_at, a.name,
                   (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1),
                   a.code, r.agency, r.due_at
            FROM reports r LEFT JOIN areas a ON a.id = r.district_id
            WHERE \(condition) ORDER BY r.observed_at, r.id
            """
        sql += " LIMIT \(limit.map { max(0, $0) } ?? -1) OFFSET \(max(0, offset))"
        let responsibilities = try cachedResponsibilities()
        let oldest = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
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
        return OverdueList(total: total, oldest: oldest)
    }

    /// The open concerns without response past their threshold, across all districts, oldest first (`citymap overdue`).
    public func overdue(_ thresholds: OverdueThresholds, now: Date = Date(), limit: Int? = nil, offset: Int = 0) throws -> OverdueList {
        try read { db in try overdue(db, thresholds: thresholds, now: now, district: nil, limit: limit, offset: offset) }
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
