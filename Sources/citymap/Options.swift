import ArgumentParser
import CityMap
import Foundation

/// `--db`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SpatiaLite database file. Default: $CITYMAP_DB, else ./citymap.sqlite.", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["CITYMAP_DB"] ?? "citymap.sqlite"
    }

    @Option(name: .long, help: ArgumentHelp("Seconds to wait while another program writes to the database (an import) before giving up; nothing is written then, and trying again is safe.", valueName: "seconds"))
    var wait: Double = DatabaseOptions.defaultWait

    /// Long enough for a million-report import to finish (measured in CHECKS.md, "Waiting writers").
    static let defaultWait: Double = 300

    /// `preload`: what the command will need, opened while the file opens (`Store.Preload`); the rest on first use.
    func open(_ mode: Store.OpenMode = .existing, preload: Store.Preload = .all) throws -> Store {
        let path = path
        let wait = wait
        var onWait: (@Sendable () -> Void)?
        if isatty(2) == 1 {
            let line = "Waiting for another program writing to \(path) (an import?): up to \(Int(wait)) s, see --wait …\n"
            onWait = { FileHandle.standardError.write(Data(line.utf8)) }
        }
        return try Store(path: path, mode: mode, busyTimeout: wait, onWait: onWait, preload: preload)
    }

    func validate() throws {
        if !(wait >= 0 && wait <= 86_400) { throw ValidationError("--wait is in seconds, from 0 to 86400; \(wait) is not") }
    }
}

/// How data is printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension TableWriter {
    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json()
        }
    }
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table (aligned text), json or csv.")
    var format: OutputFormat = .table
}

/// A number of degrees as people type it: "51.2275", "51,2275" (decimal comma) or "-0.5". Options taking one are
/// declared with `parsing: .unconditional`, so that a value starting with a minus sign is read as the value.
struct Degrees: ExpressibleByArgument {
    let value: Double

    /// Text that is no number becomes NaN, which the core refuses with its own words ("latitude is not a number").
    init(argument: String) {
        value = DecimalNumber.parse(argument) ?? .nan
    }
}

extension ReportStatus: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension AreaKind: ExpressibleByArgument {}

/// The filters of `list`, `export` and `hotspots`: attributes, time and bounding box, plus `--near`/`--radius`.
struct FilterOptions: ParsableArguments {
    @OptionGroup var attributes: AttributeFilterOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Only reports within --radius of this position, written LAT,LON.", valueName: "lat,lon"))
    var near: String?

    @Option(help: ArgumentHelp("Radius for --near, e.g. 100m or 1.5km.", valueName: "length"))
    var radius: String = "100m"

    func filter() throws -> ReportFilter {
        try attributes.filter(near: near, radius: radius)
    }
}

/// The filters without `--near`, for commands where `--radius` means something else (`hotspots density`).
struct AttributeFilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this district: code (west, ost), name, or 'none' for reports outside every district. Repeatable.", valueName: "district"))
    var district: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only this category (cleanliness) or subcategory (cleanliness/litter). Repeatable.", valueName: "code"))
    var category: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only this status. Repeatable.", valueName: "status"))
    var status: [ReportStatus] = []

    @Option(name: .long, help: ArgumentHelp("Observed at or after this time (ISO 8601; without an offset, Europe/Berlin).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Observed before this time; a date alone includes that whole day.", valueName: "time"))
    var until: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Only reports inside WEST,SOUTH,EAST,NORTH (degrees, GeoJSON order).", valueName: "w,s,e,n"))
    var bbox: String?

    @Option(name: .long, help: "Use at most this many reports.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func filter(near: String? = nil, radius: String = "100m") throws -> ReportFilter {
        var text = FilterText()
        text.districts = district
        text.categories = category
        text.statuses = status.map(\.rawValue)
        text.since = since
        text.until = until
        text.bbox = bbox
        text.near = near
        text.radius = near == nil ? nil : radius
        text.limit = limit
        return try text.filter()
    }
}

/// Writes a warning on stderr, where it does not mix with data on stdout.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}

/// Prints to stdout without a newline of its own (through `print`, so it keeps its order with other output).
func emit(_ text: String) {
    print(text, terminator: "")
}

/// `--at` and `--actor` of the lifecycle commands (status, note, reopen, edit): when it happened, and who.
struct ChangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("When it happened (ISO 8601, e.g. 2026-11-27T16:30+01:00; without an offset Europe/Berlin). Default: now. Not in the future, and not before the report's latest change.", valueName: "time"))
    var at: String?

    @Option(help: "Who made the change; kept in the history.")
    var actor: String?

    /// The parsed `--at`; nil for now.
    func date() throws -> Date? {
        guard let at else { return nil }
        guard let date = Timestamp.parse(at) else { throw DomainError.malformedTime(at, field: "at") }
        return date
    }
}
