import Foundation

/// What to do with a position outside the city extent.
public enum OutsidePolicy: String, CaseIterable, Sendable {
    /// Refuse the record (the default: most often latitude and longitude are swapped, or the position is junk).
    case fail
    /// Import it and list it.
    case keep
    /// Leave it out and list it.
    case skip
}

/// How `citymap import` reads and checks a file.
public struct ImportOptions: Sendable {
    public var format: ImportFormat?
    /// Overrides the source named in the records and the format's default source.
    public var source: String?
    public var categoryMap = CategoryMap()
    public var walkID: Int64?
    public var team: String?
    public var skipInvalid = false
    public var rejects: URL?
    /// Files `rejects` must never replace besides the database: the other inputs of the same command.
    public var inputs: [URL] = []
    public var outside = OutsidePolicy.fail
    /// Where reports are expected. nil: the database's extent (`citymap init --extent`; Düsseldorf when created).
    public var extent: BoundingBox?
    /// The time of records that carry none (a waypoint without `<time>` far from any timed track point, a CSV
    /// without a time column).
    public var observedAt: Date?
    /// The CRS of the coordinates in the file (`--crs EPSG:25832`): X/Y or WKT in metres are transformed to WGS84
    /// with PROJ. nil: degrees, or the CRS the file itself names.
    public var crs: String?
    /// What times without an offset mean (`--time-zone America/Los_Angeles`); nil: Europe/Berlin, and Open311's
    /// rule that times carry an offset.
    public var timeZone: TimeZone?
    /// Which CSV column holds which field, where the names are not recognised (`--columns lat=Y,lon=X`).
    public var columns = ColumnMapping()
    /// Records per batch: one PROJ call and one run of prepared inserts each.
    public var batchSize = 8192

    public static let northRhineWestphalia = BoundingBox.northRhineWestphalia

    public init() {}
}

/// Progress of a running import, for a terminal display.
public struct ImportProgress: Sendable {
    public let records: Int
    public let bytesRead: UInt64
    public let totalBytes: UInt64
}

/// What an import did.
public struct ImportSummary: Sendable {
    public var file: String
    public var format: ImportFormat
    public var imported = 0
    public var alreadyPresent = 0
    /// Records that appear more than once in the file, identical: imported once.
    public var repeatedInFile = 0
    /// Invalid records left out under --skip-invalid.
    public var skipped = 0
    /// Locations of records outside the extent, kept or skipped by --outside.
    public var outsideKept: [String] = []
    public var outsideSkipped: [String] = []
    public var perDistrict: [String: Int] = [:]
    public var walksAdded = 0
    public var walksPresent = 0
    /// What was left out without being an error (a GPX track of a single point), one line each.
    public var warnings: [String] = []
    /// Each left-out record as "location, field 'name': reason".
    public var rejected: [String] = []
}

/// An import refused because of bad records: nothing was written. Lists every problem (see `problems`).
public struct ImportFailure: CityMapError {
    public let file: String
    public let problems: [String]
    public let total: Int

    public var kind: ErrorKind { .invalid }
    public var parameter: String? { nil }
    public var value: String? { nil }

    public func message(naming: (String) -> String) -> String {
        "\(file): \(total) invalid record\(total == 1 ? "" : "s"), so nothing was imported "
            + "(fix them, or import the rest with \(naming("skip_invalid")) \(naming("rejects")) FILE)"
    }
}

extension RecordProblem: CustomStringConvertible {
    var description: String { "\(location), field '\(field)': \(message)" }
}
