import Foundation

/// Checks one record as a reader found it, and turns it into a report to store.
enum ReportValidation {
    enum Checked {
        case valid(NewReport)
        case outside(NewReport, String)
        case unmapped(String)
    }

    static func validate(_ raw: RawReport, taxonomy: Taxonomy, options: ImportOptions, format: ImportFormat,
                          categories: CategoryCache) -> Result<Checked, RecordProblem> {
        func problem(_ field: String, _ message: String) -> Result<Checked, RecordProblem> {
            .failure(RecordProblem(location: raw.location, field: field, message: message))
        }
        guard let lat = raw.lat else { return problem("lat", "is missing: the record has no position") }
        guard let lon = raw.lon else { return problem("lon", "is missing: the record has no position") }
        let position: Coordinate
        do { position = try Coordinate(lon: lon, lat: lat) } catch {
            if abs(lat) > 1000 || abs(lon) > 1000 {
                return problem("lat", "x \(lon), y \(lat) look like metres of a projected CRS, not degrees; name it with --crs (EPSG:25832 is UTM 32N, as NRW's data and QGIS projects use it)")
            }
            if case .latitudeOutOfRange = error, (try? Coordinate(lon: lat, lat: lon)) != nil {
                return problem("lat", "\(error.description) (latitude and longitude look swapped)")
            }
            return problem(error.description.hasPrefix("longitude") ? "lon" : "lat", error.description)
        }
        guard raw.category != nil || raw.categoryLabel != nil || options.categoryMap.fallback != nil else {
            return problem("category", "is missing (a category map's \"*\" entry would cover it)")
        }
        guard let category = categories.resolve(raw, map: options.categoryMap, taxonomy: taxonomy) else {
            return .success(.unmapped(raw.categoryLabel ?? raw.category ?? ""))
        }
        guard let observedAt = raw.observedAt ?? options.observedAt else {
            return problem("time", "is missing: when was it observed? (--observed-at gives one time to records without one)")
        }
        let source = options.source ?? raw.source ?? format.defaultSource
        var report = NewReport(position: position, category: category, severity: raw.severity, description: raw.description,
                               observedAt: observedAt, reporter: raw.reporter, source: source,
                               externalID: raw.externalID ?? "h:" + fingerprint("\(lat)|\(lon)|\(observedAt.timeIntervalSince1970)|\(category)|\(raw.description)"),
                               accuracy: raw.accuracy)
        report.status = raw.status
        report.statusNote = raw.statusNote
        if report.status != .open {
            report.statusAt = raw.statusAt ?? (report.status == .acknowledged ? raw.acknowledgedAt : nil)
            if let acknowledged = raw.acknowledgedAt, let at = report.statusAt {
                guard acknowledged <= at else {
                    return problem("acknowledged_at", "\(Timestamp.local(acknowledged)) comes after the status was reached (\(Timestamp.local(at)))")
                }
                report.acknowledgedAt = acknowledged
            }
        }
        report.address = raw.address
        report.mediaURL = raw.mediaURL
        report.walkID = options.walkID
        let extent = options.extent ?? .duesseldorf
        if !extent.contains(position) {
            var note = "\(position) lies outside the city extent \(extent)"
            if let swapped = try? Coordinate(lon: lat, lat: lon), extent.contains(swapped) {
                note += " (latitude and longitude look swapped)"
            }
            return .success(.outside(report, note))
        }
        return .success(.valid(report))
    }

    /// A stable 64-bit FNV-1a fingerprint in hex, for ids of records that carry none.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Remembers how each distinct foreign category resolved: a file has few categories and many rows.
final class CategoryCache {
    private var resolved: [String: CategoryCode?] = [:]

    func resolve(_ raw: RawReport, map: CategoryMap, taxonomy: Taxonomy) -> CategoryCode? {
        let key = (raw.category ?? "") + "\u{1}" + (raw.subcategory ?? "") + "\u{1}" + (raw.categoryLabel ?? "")
        if let known = resolved[key] { return known }
        let code = map.resolve(raw, taxonomy: taxonomy)
        resolved[key] = code
        return code
    }
}

/// Records a reader produced up front (GPX, Open311), served one at a time.
struct ListReader: RecordReader {
    private var records: [Result<RawReport, RecordProblem>]
    private var index = 0
    init(_ records: [Result<RawReport, RecordProblem>]) { self.records = records }
    var bytesRead: UInt64 { 0 }
    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>? {
        guard index < records.count else { return nil }
        defer { index += 1 }
        return records[index]
    }
}

/// The records an import left out, each with its reason, as CSV.
enum RejectsFile {
    /// Written 0600: the reasons quote the records' values.
    static func write(_ problems: [RecordProblem], to url: URL, protecting: [OutputTarget.Protected]) throws {
        try AtomicFile.write(to: url, mode: 0o600, protecting: protecting) { out in
            try out.write("location,field,reason\n")
            for p in problems {
                try out.write([p.location, p.field, p.message].map(CSVField.escape).joined(separator: ",") + "\n")
            }
        }
    }
}
