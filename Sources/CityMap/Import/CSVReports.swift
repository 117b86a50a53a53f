import Foundation

/// Reports from a header-driven CSV file (QField, ODK, KoBo, PublicStuff and spreadsheet exports).
/// Latitude and longitude columns are found under their usual German and English names; see `FieldName`.
struct CSVReports: RecordReader {
    private var reader: CSVReader
    private let header: [String]
    private let columns: [(index: Int, field: FieldName, name: String)]
    private let statuses: [String: ReportStatus]
    private let zone: TimeZone

    init(url: URL, statuses: [String: ReportStatus], mapping: ColumnMapping = ColumnMapping(), zone: TimeZone = Timestamp.berlin) throws(ImportError) {
        self.zone = zone
        reader = try CSVReader(url: url)
        guard let first = try reader.next() else { throw ImportError(file: url.path, message: "is empty; expected a CSV file with a header line") }
        header = first.fields.map(\.trimmed)
        var seen = Set<FieldName>()
        var columns: [(Int, FieldName, String)] = []
        // Columns named in --columns first; then the recognised names for the fields not mapped.
        for (field, column) in mapping.fields {
            guard let index = header.firstIndex(where: { $0 == column }) ?? header.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
                throw ImportError(file: url.path, location: "line 1", field: "header",
                                  message: "has no column '\(column)' (given for \(field.argumentName) in --columns); the columns are: \(header.joined(separator: ", "))")
            }
            seen.insert(field)
            columns.append((index, field, header[index]))
        }
        let mapped = Set(columns.map(\.0))
        for (i, name) in header.enumerated() where !mapped.contains(i) {
            guard let field = FieldName.recognise(name), !seen.contains(field) else { continue }
            seen.insert(field)
            columns.append((i, field, name))
        }
        self.columns = columns.sorted { $0.0 < $1.0 }
        self.statuses = statuses
        guard (seen.contains(.lat) && seen.contains(.lon)) || seen.contains(.geolocation) || seen.contains(.wkt) else {
            let missing = seen.contains(.lat) ? "longitude (lon, lng, long, longitude, länge, x)"
                : seen.contains(.lon) ? "latitude (lat, latitude, breite, y)" : "position (lat and lon, a WKT point, or a KoBo or ODK geopoint)"
            throw ImportError(file: url.path, location: "line 1", field: "header",
                              message: "has no \(missing) column; name it with --columns lat=COLUMN,lon=COLUMN; the columns are: \(header.joined(separator: ", "))")
        }
    }

    var bytesRead: UInt64 { reader.bytesRead }
    var problem: ImportError? { reader.problem }

    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>? {
        guard let record = try reader.next() else { return nil }
        var raw = RawReport(location: "line \(record.line)")
        guard record.fields.count == header.count else {
            return .failure(RecordProblem(location: raw.location, field: "(row)",
                                          message: "has \(record.fields.count) fields, the header has \(header.count)"))
        }
        do {
            for column in columns {
                try raw.set(column.field, column: column.name, text: record.fields[column.index], statuses: statuses, zone: zone)
            }
        } catch {
            return .failure(error)
        }
        return .success(raw)
    }
}

/// A format reader: yields raw reports one at a time (streaming where the format allows), a problem for a bad
/// record, and throws for a file that cannot be read at all.
protocol RecordReader {
    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>?
    /// Bytes consumed so far, for progress; 0 when unknown.
    var bytesRead: UInt64 { get }
    /// Why the reader stopped before the end of the file (not UTF-8, a NUL byte, an endless record): the import
    /// refuses the whole file then.
    var problem: ImportError? { get }
    /// The CRS the file names for its coordinates (GeoJSON's `crs` member), as "EPSG:NNNN"; nil: WGS84 degrees.
    var crs: String? { get }
}

extension RecordReader {
    var problem: ImportError? { nil }
    var crs: String? { nil }
}

/// Which CSV column holds which field, for files whose column names are not recognised:
/// `lat=Breitengrad_WGS,lon=Laengengrad_WGS,time=Meldezeit,id=Vorgang,category=Art`.
public struct ColumnMapping: Sendable {
    var fields: [(FieldName, String)] = []

    public init() {}

    /// The fields a mapping may name, as written in it.
    public static let names = ["lat", "lon", "time", "id", "category", "subcategory", "description", "severity", "status",
                               "accuracy", "reporter", "address", "wkt", "status_at", "acknowledged_at"]

    /// Parses `FIELD=COLUMN,…`; errors name the part that is wrong.
    public init(parsing text: String) throws(DomainError) {
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmed }
            guard pair.count == 2, !pair[1].isEmpty else {
                throw .invalidText(field: "columns", reason: "part '\(part)' is not FIELD=COLUMN, e.g. lat=Breitengrad")
            }
            guard let field = FieldName.argument(pair[0].lowercased()) else {
                throw .invalidText(field: "columns", reason: "names '\(pair[0])', which is no field; use \(Self.names.joined(separator: ", "))")
            }
            guard !fields.contains(where: { $0.0 == field }) else {
                throw .invalidText(field: "columns", reason: "names \(pair[0]) twice")
            }
            fields.append((field, pair[1]))
        }
    }

    public var isEmpty: Bool { fields.isEmpty }
}

extension FieldName {
    /// The field's name in `--columns`.
    var argumentName: String {
        switch self {
        case .lat: return "lat"
        case .lon: return "lon"
        case .time, .timeUTC: return "time"
        case .id: return "id"
        case .category: return "category"
        case .subcategory: return "subcategory"
        case .description: return "description"
        case .severity: return "severity"
        case .status: return "status"
        case .accuracy: return "accuracy"
        case .reporter: return "reporter"
        case .address: return "address"
        case .wkt: return "wkt"
        case .statusNote: return "status_note"
        case .media: return "media"
        case .source: return "source"
        case .geolocation: return "geolocation"
        case .statusAt: return "status_at"
        case .acknowledgedAt: return "acknowledged_at"
        }
    }

    static func argument(_ name: String) -> FieldName? {
        guard ColumnMapping.names.contains(name) else { return nil }
        return allCases.first { $0.argumentName == name && $0 != .timeUTC }
    }
}
