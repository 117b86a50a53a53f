import CityMap
import Foundation

/// Presents district summaries as terminal tables, Markdown for minutes, CSV or JSON. Only formatting here:
/// every number comes from `Store.summary`.
struct SummaryRenderer {
    let period: Period
    let compare: Bool
    let overdueDays: Int
    let color: Bool
    /// The top hotspots per district name (default DBSCAN: eps 30 m, min-points 5), if computed.
    var hotspots: [String: [HotspotCluster]] = [:]

    private func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }

    func changeColumns(_ c: Change) -> [Cell] {
        compare ? [.integer(Int64(c.current)), .integer(Int64(c.previous)), .text(signed(c.difference)), .text(SummaryText.percent(c.percent))]
                : [.integer(Int64(c.current))]
    }

    var changeHeaders: [String] {
        compare ? [period.description, period.previous.description, "change", "change %"] : [period.description]
    }

    private func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : n < 0 ? "−\(-n)" : "±0" }

    private func hours(_ value: Double?) -> Cell { .text(value.map { String(format: "%.1f", $0) } ?? "–") }

    /// The sections of one district, each as a titled table.
    func sections(_ s: DistrictSummary) -> [(title: String, table: TableWriter)] {
        var result: [(String, TableWriter)] = []
        var totals = TableWriter(columns: [""] + changeHeaders)
        totals.rows = [[.text("reported")] + changeColumns(s.total), [.text("still open")] + (compare ? [.integer(Int64(s.open)), .text(""), .text(""), .text("")] : [.integer(Int64(s.open))])]
        result.append(("Totals", totals))
        var categories = TableWriter(columns: ["category"] + changeHeaders)
        categories.rows = s.byCategory.map { [.text($0.label)] + changeColumns($0) }
        result.append(("By category", categories))
        var squares = TableWriter(columns: ["square"] + changeHeaders)
        squares.rows = s.topSquares.map { [.text($0.label)] + changeColumns($0) }
        result.append(("Top squares", squares))
        var top = TableWriter(columns: ["hotspot", "reports", "mostly", "square", "open", "lat", "lon"])
        top.rows = (hotspots[s.district.name] ?? []).enumerated().map { k, c in
            [.integer(Int64(k + 1)), .integer(Int64(c.size)), .text(c.dominantCategory), .text(c.square ?? "–"), .integer(Int64(c.open)),
             .number((c.centroid.lat * 1e5).rounded() / 1e5), .number((c.centroid.lon * 1e5).rounded() / 1e5)]
        }
        if !hotspots.isEmpty { result.append(("Top hotspots (DBSCAN, 30 m, 5 reports)", top)) }
        let topics = ["cleanliness", "safety", "orientation", "vacancy", "square-quality"]
        var scorecards = TableWriter(columns: ["square", "reports"] + (compare ? ["previous", "trend"] : []) + ["open"] + topics)
        scorecards.rows = s.scorecards.map { c in
            [.text(c.square), .integer(Int64(c.total.current))]
                + (compare ? [.integer(Int64(c.total.previous)), .text(SummaryText.percent(c.total.percent))] : [])
                + [.integer(Int64(c.open))] + topics.map { .integer(Int64(c.byCategory[$0] ?? 0)) }
        }
        result.append(("Scorecard per square", scorecards))
        var responses = TableWriter(columns: ["group", "reports", "responded", "median first response h", "p90 first response h",
                                              "resolved", "median resolution h", "p90 resolution h"])
        responses.rows = s.responses.map { r in
            [.text(r.label), .integer(Int64(r.reports)), .integer(Int64(r.responded)), hours(r.medianFirstResponse),
             hours(r.p90FirstResponse), .integer(Int64(r.resolved)), hours(r.medianResolution), hours(r.p90Resolution)]
        }
        result.append(("Response times", responses))
        result.append(("Overdue (open, no response)", Self.overdueTable(s.overdue)))
        if !s.breakdown.isEmpty && s.breakdown.allSatisfy({ $0.label.count == 4 && $0.label.dropFirst().first == "-" }) {
            // weekday-hour: a 7 × 24 profile, Monday to Sunday.
            var counts: [String: Int] = [:]
            for c in s.breakdown { counts[c.label] = c.current }
            var profile = TableWriter(columns: ["weekday"] + (0..<24).map { String(format: "%02d", $0) })
            profile.rows = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].enumerated().map { d, name in
                [.text(name)] + (0..<24).map { h in .integer(Int64(counts["\(d + 1)-\(String(format: "%02d", h))"] ?? 0)) }
            }
            result.append(("Weekday × hour (Europe/Berlin)", profile))
        } else if !s.breakdown.isEmpty {
            var breakdown = TableWriter(columns: ["key"] + changeHeaders)
            breakdown.rows = s.breakdown.map { [.text($0.label)] + changeColumns($0) }
            result.append(("Breakdown", breakdown))
        }
        return result
    }

    static func overdueTable(_ list: [OverdueReport]) -> TableWriter {
        var table = TableWriter(columns: ["id", "category", "district", "age days", "observed", "last note"])
        table.rows = list.map { o in
            [.integer(o.id), .text(o.category.description), .text(o.district ?? "–"), .integer(Int64(o.ageDays)),
             .text(ReportRows.shortTime(o.observedAt)), .text(o.lastNote)]
        }
        return table
    }

    func table(_ summaries: [DistrictSummary]) -> String {
        var out = ""
        for s in summaries {
            out += bold("\(s.district.name) — \(period)") + "\n" + SummaryText.paragraph(s, period: period) + "\n\n"
            for (title, table) in sections(s) {
                out += bold(title) + "\n" + (table.rows.isEmpty ? "(none)\n" : table.table()) + "\n"
            }
        }
        return out
    }

    func markdown(_ summaries: [DistrictSummary]) -> String {
        var out = "# Citymanagement summary \(period)" + (compare ? " (compared with \(period.previous))" : "") + "\n\n"
        for s in summaries {
            out += "## \(s.district.name)\n\n" + SummaryText.paragraph(s, period: period) + "\n\n"
            for (title, table) in sections(s) {
                out += "### \(title)\n\n"
                if table.rows.isEmpty { out += "None.\n\n"; continue }
                func row(_ cells: [String]) -> String {
                    "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
                        .joined(separator: " | ") + " |"
                }
                out += row(table.columns.map { $0.isEmpty ? " " : $0 }) + "\n"
                out += "|" + table.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
                out += table.rows.map { row($0.map(\.plain)) }.joined(separator: "\n") + "\n\n"
            }
        }
        return out
    }

    func csv(_ summaries: [DistrictSummary]) -> String {
        var writer = TableWriter(columns: ["district", "section", "label", "current", "previous", "change", "change_percent"])
        for s in summaries {
            func add(_ section: String, _ c: Change) {
                writer.rows.append([.text(s.district.name), .text(section), .text(c.label), .integer(Int64(c.current)),
                                    .integer(Int64(c.previous)), .integer(Int64(c.difference)), .number(c.percent.map { ($0 * 10).rounded() / 10 })])
            }
            add("total", s.total)
            writer.rows.append([.text(s.district.name), .text("open"), .text("open"), .integer(Int64(s.open)), .text(nil), .text(nil), .text(nil)])
            s.byCategory.forEach { add("category", $0) }
            s.topSquares.forEach { add("square", $0) }
            s.breakdown.forEach { add("breakdown", $0) }
            writer.rows.append([.text(s.district.name), .text("overdue"), .text("overdue"), .integer(Int64(s.overdue.count)), .text(nil), .text(nil), .text(nil)])
        }
        return writer.csv()
    }

    func json(_ summaries: [DistrictSummary]) -> String {
        func change(_ c: Change) -> [String: Any] {
            ["label": c.label, "current": c.current, "previous": c.previous, "change": c.difference, "change_percent": c.percent ?? NSNull()]
        }
        let objects: [[String: Any]] = summaries.map { s in
            [
                "district": s.district.name, "period": period.description, "previous_period": period.previous.description,
                "total": change(s.total), "open": s.open, "by_category": s.byCategory.map(change),
                "top_squares": s.topSquares.map(change), "breakdown": s.breakdown.map(change),
                "response_hours": s.responses.map { r in
                    ["group": r.label, "reports": r.reports, "responded": r.responded, "resolved": r.resolved,
                     "median_first_response": r.medianFirstResponse ?? NSNull(), "p90_first_response": r.p90FirstResponse ?? NSNull(),
                     "median_resolution": r.medianResolution ?? NSNull(), "p90_resolution": r.p90Resolution ?? NSNull()] as [String: Any]
                },
                "overdue": s.overdue.map { ["id": $0.id, "category": $0.category.description, "age_days": $0.ageDays,
                                            "observed_at": Timestamp.local($0.observedAt), "last_note": $0.lastNote ?? NSNull()] as [String: Any] },
                "summary": SummaryText.paragraph(s, period: period),
            ]
        }
        return TableWriter.jsonText(objects)
    }
}
