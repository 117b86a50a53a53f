import Foundation

/// Reports from a header-driven CSV file (QField, ODK, KoBo, PublicStuff and spreadsheet exports).
/// Latitude and longitude columns are found under their usual German and English names; see `FieldName`.
struct CSVReports: RecordReader {
    private var reader: CSVReader
    private let header: [String]
    private let columns: [(index: Int, field: FieldName, name: String)]
    private let statuses: [String: ReportStatus]

    init(url: URL, statuses: [String: ReportStatus]) throws(ImportError) {
        reader = try CSVReader(url: url)
        guard let first = try reader.next() else { throw ImportError(file: url.path, message: "is empty; expected a CSV file with a header line") }
        header = first.fields.map(\.trimmed)
        var seen = Set<String>()
        var columns: [(Int, FieldName, String)] = []
        for (i, name) in header.enumerated() {
            guard let field = FieldName.recognise(name), !seen.contains("\(field)") else { continue }
            seen.insert("\(field)")
            columns.append((i, field, name))
        }
        self.columns = columns
        self.statuses = statuses
        for (needed, words) in [(FieldName.lat, "latitude (lat, latitude, breite, y)"), (.lon, "longitude (lon, lng, long, longitude, länge, x)")]
        where !seen.contains("\(needed)") {
            throw ImportError(file: url.path, location: "line 1", field: "header",
                              message: "has no \(words) column; the columns are: \(header.joined(separator: ", "))")
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
                try raw.set(column.field, column: column.name, text: record.fields[column.index], statuses: statuses)
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
}

extension RecordReader {
    var problem: ImportError? { nil }
}
