import Foundation

/// A district summary for one period, as the CLI prints it and `GET /api/summary` serves it: one value, with its
/// renderers for a terminal, Markdown minutes, CSV and JSON. Every number comes from `Store.summary`; the
/// renderers only format.
public struct SummaryReport: Sendable, Encodable {
    public let period: Period
    /// Whether the previous period is shown beside this one.
    public let compare: Bool
    /// The default overdue threshold in days, for the section's title.
    public let overdueDays: Int
    /// How many hotspots per district were asked for (0: the section is left out).
    public let hotspots: Int
    public let districts: [DistrictSummary]
    /// The focus topics (category codes) in taxonomy order: the scorecard's columns.
    public var topics: [String] = []

    enum CodingKeys: String, CodingKey { case period, previousPeriod = "previous_period", districts }

    enum DistrictKeys: String, CodingKey {
        case district, code, total, open, byCategory = "by_category", topSquares = "top_squares", scorecards
        case responseHours = "response_hours", overdue, breakdown, topHotspots = "top_hotspots", vacancy, summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period.description, forKey: .period)
        try c.encode(compare ? period.previous.description : nil, forKey: .previousPeriod)
        var list = c.nestedUnkeyedContainer(forKey: .districts)
        for s in districts {
            var d = list.nestedContainer(keyedBy: DistrictKeys.self)
            try d.encode(s.district.name, forKey: .district)
            try d.encode(s.district.code, forKey: .code)
            try d.encode(s.total, forKey: .total)
            try d.encode(s.open, forKey: .open)
            try d.encode(s.byCategory, forKey: .byCategory)
            try d.encode(s.topSquares, forKey: .topSquares)
            try d.encode(s.scorecards, forKey: .scorecards)
            try d.encode(s.responses, forKey: .responseHours)
            try d.encode(s.overdue, forKey: .overdue)
            try d.encode(s.breakdown, forKey: .breakdown)
            if hotspots > 0 { try d.encode(s.hotspots, forKey: .topHotspots) }
            if let vacancy = s.vacancy { try d.encode(vacancy, forKey: .vacancy) }
            try d.encode(SummaryText.paragraph(s, period: period), forKey: .summary)
        }
    }

    // MARK: Renderers

    public func json() throws -> String { try JSONText.string(self) }

    /// Aligned tables for a terminal; `color` adds bold titles (only where the adapter knows a terminal shows them).
    public func table(color: Bool = false) -> String {
        func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        var out = ""
        for s in districts {
            out += bold("\(s.district.name) — \(period)") + "\n" + SummaryText.paragraph(s, period: period) + "\n\n"
            for (title, table) in sections(s) {
                out += bold(title) + "\n" + (table.rows.isEmpty ? "(none)\n" : table.table()) + "\n"
            }
        }
        return out
    }

    /// Markdown for the minutes: a heading per district, its paragraph, and a table per section.
    public func markdown() -> String {
        var out = "# Citymanagement summary \(period)" + (compare ? " (compared with \(period.previous))" : "") + "\n\n"
        for s in districts {
            out += "## \(s.district.name)\n\n" + SummaryText.paragraph(s, period: period) + "\n\n"
            for (title, table) in sections(s) {
                out += "### \(title)\n\n"
                out += table.rows.isEmpty ? "None.\n\n" : table.markdown() + "\n"
            }
        }
        return out
    }

    /// One row per count: district, section, label, current, previous, change and change in per cent.
    public func csv() -> String {
        var writer = TableWriter(columns: ["district", "section", "label", "current", "previous", "change", "change_percent"])
        for s in districts {
            func add(_ section: String, _ c: Change) {
                writer.rows.append([.text(s.district.name), .text(section), .text(c.label), .integer(Int64(c.current)),
                                    .integer(Int64(c.previous)), .integer(Int64(c.difference)), .number(c.percent.map { ($0 * 10).rounded() / 10 })])
            }
            add("total", s.total)
            writer.rows.append([.text(s.district.name), .text("open"), .text("open"), .integer(Int64(s.open)), .text(nil), .text(nil), .text(nil)])
            s.byCategory.forEach { add("category", $0) }
            s.topSquares.forEach { add("square", $0) }
            s.breakdown.forEach { add("breakdown", $0) }
            writer.rows.append([.text(s.district.name), .text("overdue"), .text("overdue"), .integer(Int64(s.overdue.total)), .text(nil), .text(nil), .text(nil)])
            if let v = s.vacancy {
                add("vacancy", Change(label: "units", current: v.now.units, previous: v.previous.units))
                add("vacancy", Change(label: "vacant", current: v.now.vacant, previous: v.previous.vacant))
                add("vacancy", Change(label: "interim use", current: v.now.interimUse, previous: v.previous.interimUse))
                add("vacancy", Change(label: "fell vacant", current: v.fellVacant, previous: v.previousFellVacant))
                add("vacancy", Change(label: "re-let", current: v.monthsToReLet.count, previous: v.previousMonthsToReLet.count))
            }
        }
        return writer.csv()
    }

    /// The overdue concerns as a table: id, category, district, age, observation and the latest note.
    public static func overdueTable(_ list: [OverdueReport]) -> TableWriter {
        TableWriter(columns: ["id", "category", "district", "age days", "observed", "agency", "due", "last note"], rows: list.map { o in
            [.integer(o.id), .text(o.category.description), .text(o.district ?? "–"), .integer(Int64(o.ageDays)),
             .text(Timestamp.short(o.observedAt)), .text(o.agency ?? "–"), .text(o.dueAt.map { Timestamp.short($0) } ?? "–"), .text(o.lastNote)]
        })
    }

    /// `citymap overdue --by agency`: one row per agency.
    public static func agencyTable(_ groups: [AgencyOverdue]) -> TableWriter {
        TableWriter(columns: ["agency", "overdue", "past due", "oldest days"], rows: groups.map { g in
            [.text(g.agency), .integer(Int64(g.overdue)), .integer(Int64(g.pastDue)), .integer(Int64(g.oldestDays))]
        })
    }

    // MARK: Sections

    private func changeColumns(_ c: Change) -> [Cell] {
        compare ? [.integer(Int64(c.current)), .integer(Int64(c.previous)), .text(signed(c.difference)), .text(SummaryText.percent(c.percent))]
                : [.integer(Int64(c.current))]
    }

    private var changeHeaders: [String] {
        compare ? [period.description, period.previous.description, "change", "change %"] : [period.description]
    }

    private func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : n < 0 ? "−\(-n)" : "±0" }

    private func hours(_ value: Double?) -> Cell { .text(value.map { String(format: "%.1f", $0) } ?? "–") }

    /// The sections of one district, each as a titled table.
    func sections(_ s: DistrictSummary) -> [(title: String, table: TableWriter)] {
        var result: [(String, TableWriter)] = []
        var totals = TableWriter(columns: [""] + changeHeaders)
        totals.rows = [[.text("reported")] + changeColumns(s.total),
                       [.text("still open")] + (compare ? [.integer(Int64(s.open)), .text(""), .text(""), .text("")] : [.integer(Int64(s.open))])]
        result.append(("Totals", totals))
        result.append(("By category", TableWriter(columns: ["category"] + changeHeaders, rows: s.byCategory.map { [.text($0.label)] + changeColumns($0) })))
        result.append(("Top squares", TableWriter(columns: ["square"] + changeHeaders, rows: s.topSquares.map { [.text($0.label)] + changeColumns($0) })))
        if hotspots > 0 {
            let top = TableWriter(columns: ["hotspot", "reports", "mostly", "square", "open", "lat", "lon"], rows: s.hotspots.enumerated().map { k, c in
                [.integer(Int64(k + 1)), .integer(Int64(c.size)), .text(c.dominantCategory), .text(c.square ?? "–"), .integer(Int64(c.open)),
                 .number((c.centroid.lat * 1e5).rounded() / 1e5), .number((c.centroid.lon * 1e5).rounded() / 1e5)]
            })
            result.append(("Top hotspots (DBSCAN, \(HotspotClustering.defaultEps), \(HotspotClustering.defaultMinPoints) reports)", top))
        }
        let checked = s.scorecards.contains { $0.check != nil }
        var scorecards = TableWriter(columns: ["square", "reports"] + (compare ? ["previous", "trend"] : []) + ["open"] + topics
                                        + (checked ? ["checked", "check mean", "check trend"] + SquareScores.shortNames.map { "check:" + $0 } : []))
        scorecards.rows = s.scorecards.map { c in
            var row: [Cell] = [.text(c.square), .integer(Int64(c.total.current))]
                + (compare ? [.integer(Int64(c.total.previous)), .text(SummaryText.percent(c.total.percent))] : [])
                + [.integer(Int64(c.open))] + topics.map { .integer(Int64(c.byCategory[$0] ?? 0)) }
            if checked {
                if let check = c.check {
                    row += [.text(String(Timestamp.local(check.latest.at).prefix(10))), .text(String(format: "%.2f", check.latest.scores.mean)),
                            .text(check.trend.map { String(format: "%+.2f", $0) } ?? "–")] + check.latest.scores.values.map { .integer(Int64($0)) }
                } else {
                    row += Array(repeating: .text("–"), count: 3 + SquareScores.criteria.count)
                }
            }
            return row
        }
        result.append(("Scorecard per square", scorecards))
        let responses = TableWriter(columns: ["group", "reports", "responded", "median first response h", "p90 first response h",
                                              "resolved", "median resolution h", "p90 resolution h"], rows: s.responses.map { r in
            [.text(r.label), .integer(Int64(r.reports)), .integer(Int64(r.responded)), hours(r.medianFirstResponse),
             hours(r.p90FirstResponse), .integer(Int64(r.resolved)), hours(r.medianResolution), hours(r.p90Resolution)]
        })
        result.append(("Response times", responses))
        if let v = s.vacancy {
            result.append(("Vacancy (Leerstand) at the end of \(period), against \(period.previous)", VacancyReport.table([v], first: "district")))
        }
        let shown = s.overdue.oldest.count
        let overdueTitle = "Overdue (open, no response)" + (s.overdue.total > shown ? ": the oldest \(shown) of \(s.overdue.total)" : "")
        result.append((overdueTitle, Self.overdueTable(s.overdue.oldest)))
        if !s.breakdown.isEmpty && s.breakdown.allSatisfy({ $0.label.count == 4 && $0.label.dropFirst().first == "-" }) {
            // weekday-hour: a 7 × 24 profile, Monday to Sunday.
            var counts: [String: Int] = [:]
            for c in s.breakdown { counts[c.label] = c.current }
            let profile = TableWriter(columns: ["weekday"] + (0..<24).map { String(format: "%02d", $0) },
                                      rows: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].enumerated().map { d, name in
                [.text(name)] + (0..<24).map { h in .integer(Int64(counts["\(d + 1)-\(String(format: "%02d", h))"] ?? 0)) }
            })
            result.append(("Weekday × hour (Europe/Berlin)", profile))
        } else if !s.breakdown.isEmpty {
            result.append(("Breakdown", TableWriter(columns: ["key"] + changeHeaders, rows: s.breakdown.map { [.text($0.label)] + changeColumns($0) })))
        }
        return result
    }
}
