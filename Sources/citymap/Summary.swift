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

    func thresholds(_ store: Store) throws -> OverdueThresholds {
        try OverdueThresholds(parsing: overdueAfter, taxonomy: try store.taxonomy())
    }
}

extension CityMapCommand {
    struct Summary: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, markdown, csv, json }
        enum Compare: String, ExpressibleByArgument, CaseIterable { case previous, none }

        static let configuration = CommandConfiguration(commandName: "summary", 
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

        @Option(help: "How many of the oldest overdue concerns to list per district (the total is always given).")
        var overdueLimit: Int = 20

        func validate() throws {
            if hotspots < 0 { throw ValidationError(Wording.sentence(SummaryError.negativeCount(parameter: "hotspots", hotspots))) }
            if overdueLimit < 0 { throw ValidationError(Wording.sentence(SummaryError.negativeCount(parameter: "overdue_limit", overdueLimit))) }
        }

        func run() throws {
            let store = try database.open()
            let now = Date()
            var request = SummaryRequest(period: try period.period(now: now))
            request.districts = district
            request.by = by
            request.now = now
            request.compare = compare == .previous
            request.hotspots = hotspots
            request.overdueLimit = overdueLimit
            request.overdue = try overdueOptions.thresholds(store)
            let report = try store.summary(request)
            switch format {
            case .table: emit(report.table(color: Terminal.colorAllowed))
            case .markdown: emit(report.markdown())
            case .csv: emit(report.csv())
            case .json: emit(try report.json())
            }
        }
    }

    struct Overdue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "overdue", 
            abstract: "List open concerns that have had no response for too long, oldest first.",
            discussion: """
                Overdue: still open with no response after --overdue-after days, or assigned (`citymap assign`) and
                not closed by the due date. Each concern names the agency that acts: the one assigned, else the default
                routing of GeoData/responsibilities.json.
                Examples:
                  citymap overdue --overdue-after 10,safety=3
                  citymap overdue --by agency
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var overdueOptions: OverdueOptions
        @OptionGroup var output: FormatOption

        @Option(help: "List at most this many (default: all).")
        var limit: Int?

        @Option(help: "Skip this many of the oldest first, for paging with --limit.")
        var offset: Int = 0

        enum Grouping: String, ExpressibleByArgument, CaseIterable { case agency }

        @Option(help: "Count them by agency instead of listing them: who is late, and how late.")
        var by: Grouping?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
            if offset < 0 { throw ValidationError("--offset must be 0 or more") }
        }

        func run() throws {
            let store = try database.open()
            let now = Date()
            let thresholds = try overdueOptions.thresholds(store)
            if by == .agency {
                var tally = AgencyOverdue.Tally(now: now)
                try store.eachOverdue(thresholds, now: now, start: { _ in }) { tally.add($0) }
                emit(output.format == .json ? try JSONText.string(tally.result) : SummaryReport.agencyTable(tally.result).render(output.format))
                return
            }
            // Streams: a million overdue concerns are written as they are read.
            let format: OverdueListing.Format = switch output.format {
                case .table: .table
                case .csv: .csv
                case .json: .json
            }
            let listing = OverdueListing(sink: ByteSink.standardOutput(), format: format)
            var total = 0
            try store.eachOverdue(thresholds, now: now, offset: offset, limit: limit, start: { total = $0; try listing.start(total: $0) }) {
                try listing.add($0)
            }
            try listing.finish(total: total, offset: offset)
        }
    }
}

/// Whether colour may be used: stdout is a terminal and NO_COLOR is not set (no-color.org).
enum Terminal {
    static var colorAllowed: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }
}
