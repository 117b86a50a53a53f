import ArgumentParser
import CityMap
import Foundation

extension BreakdownKey: ExpressibleByArgument {}

/// The period options shared by `summary` and (later) other reports.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A calendar month, YYYY-MM (default: the current month).", valueName: "month"))
    var month: String?

    @Option(help: ArgumentHelp("First day, YYYY-MM-DD (with --to).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Last day, included, YYYY-MM-DD (with --from).", valueName: "date"))
    var to: String?

    @Option(help: ArgumentHelp("The last N days or weeks up to today, e.g. 30d or 4w.", valueName: "span"))
    var last: String?

    func validate() throws {
        let chosen = [month != nil, from != nil || to != nil, last != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose one period: --month, --from/--to, or --last") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    func period(now: Date) throws -> Period {
        if let month { return try Period.month(month) }
        if let from, let to { return try Period.days(from: from, to: to) }
        if let last { return try Period.last(last, now: now) }
        return try Period.month(String(Timestamp.local(now).prefix(7)))
    }
}

/// `--overdue-after 10,safety=3,cleanliness=5`: days without response before a concern is overdue.
struct OverdueOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Days without response before an open concern is overdue: a default and CATEGORY=DAYS pairs, e.g. 10,safety=3.", valueName: "days"))
    var overdueAfter: String = "10"

    func apply(to request: inout SummaryRequest) throws {
        for part in overdueAfter.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = part.split(separator: "=")
            if pair.count == 1, let days = Int(pair[0]), days >= 0 {
                request.defaultOverdueDays = days
            } else if pair.count == 2, let days = Int(pair[1]), days >= 0 {
                request.overdueDays[String(pair[0])] = days
            } else {
                throw SummaryError.badThreshold(overdueAfter)
            }
        }
    }
}

extension CityMapCommand {
    struct Summary: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, markdown, csv, json }
        enum Compare: String, ExpressibleByArgument, CaseIterable { case previous, none }

        static let configuration = CommandConfiguration(
            abstract: "What happened where: per district, counts against the previous period, top squares, response times and overdue concerns.",
            discussion: """
                Days, weeks and months are those of Europe/Berlin, across daylight-saving switches. A month is compared with
                the month before; any other period with the span of equal length just before it ("new" where that had nothing).
                Response times run from observation to the first status change after open, and to resolution (median and
                90th percentile, numpy's linear method). Overdue: still open, with no response after --overdue-after days.
                Examples:
                  citymap summary --month 2026-11 --format markdown > protokoll.md
                  citymap summary --district ost --last 30d --by weekday-hour
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("ost, west or all (default: all). Repeatable.", valueName: "district"))
        var district: [String] = []

        @OptionGroup var period: PeriodOptions

        @Option(help: "Break the counts down by category, subcategory, status, square, week, month, weekday, hour or weekday-hour.")
        var by: BreakdownKey?

        @Option(help: "Compare with the previous period (previous, the default) or not (none).")
        var compare: Compare = .previous

        @OptionGroup var overdueOptions: OverdueOptions

        @Option(help: "How many hotspots per district to list (DBSCAN, 30 m, 5 reports); 0 leaves them out.")
        var hotspots: Int = 3

        @Option(help: "table (terminal), markdown (for minutes), csv or json.")
        var format: Format = .table

        func validate() throws {
            if hotspots < 0 { throw ValidationError("--hotspots must be 0 or more") }
        }

        func run() throws {
            let store = try database.open()
            let now = Date()
            var request = SummaryRequest(period: try period.period(now: now))
            request.districts = district
            request.by = by
            request.now = now
            try overdueOptions.apply(to: &request)
            let summaries = try store.summary(request)
            var text = SummaryRenderer(period: request.period, compare: compare == .previous, overdueDays: request.defaultOverdueDays,
                                       color: format == .table && Terminal.colorAllowed)
            if hotspots > 0 { text.hotspots = try SummaryRenderer.topHotspots(store, summaries, period: request.period, count: hotspots) }
            switch format {
            case .table: emit(text.table(summaries))
            case .markdown: emit(text.markdown(summaries))
            case .csv: emit(text.csv(summaries))
            case .json: emit(text.json(summaries))
            }
        }
    }

    struct Overdue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open concerns that have had no response for too long, oldest first.",
            discussion: "Example: citymap overdue --overdue-after 10,safety=3")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var overdueOptions: OverdueOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let store = try database.open()
            var request = SummaryRequest(period: try Period.month(String(Timestamp.local(Date()).prefix(7))))
            try overdueOptions.apply(to: &request)
            let list = try store.overdue(request)
            emit(SummaryRenderer.overdueTable(list).render(output.format))
            if output.format == .table { print("\(list.count) overdue") }
        }
    }
}

extension SummaryRenderer {
    /// The default DBSCAN (`hotspots clusters` defaults: 30 m, 5 reports) over each district's reports of the period.
    static func topHotspots(_ store: Store, _ summaries: [DistrictSummary], period: Period, count: Int = 3) throws -> [String: [HotspotCluster]] {
        var result: [String: [HotspotCluster]] = [:]
        for s in summaries {
            var filter = ReportFilter()
            filter.districts = [s.district.code]
            filter.since = period.start
            filter.until = period.end
            result[s.district.name] = Array(try store.hotspotClusters(matching: filter, eps: Meters(30), minPoints: 5).clusters.prefix(count))
        }
        return result
    }
}

/// Whether colour may be used: stdout is a terminal and NO_COLOR is not set (no-color.org).
enum Terminal {
    static var colorAllowed: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }
}
