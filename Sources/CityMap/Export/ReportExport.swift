import Foundation
import GRDB

/// Streams reports out as RFC 7946 GeoJSON, GeoJSON text sequences or CSV, one row at a time from an SQLite
/// cursor into a buffered file that is renamed when complete: memory stays flat, a failure leaves no half file.
///
/// Every feature carries what map viewers show: `title`, `description`, simplestyle `marker-color` (one colour
/// per category, from the taxonomy), `marker-symbol` (Maki) and `marker-size` (by severity), plus category,
/// subcategory, status, district, square and `observed_at` in ISO 8601 with its offset.
extension Store {
    @discardableResult
    public func exportReports(_ options: ExportOptions) throws -> Int {
        let options = try options.validated()
        let internalProfile = options.profile == .internal
        return try read { db in
            let taxonomy = try Self.taxonomy(db)
            let areas = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, name FROM areas")
                .map { ($0["id"] as Int64, $0["name"] as String) })
            let query = try ReportQuery(options.filter, db: db, taxonomy: taxonomy, projector: projector)
            var sql = """
                SELECT r.id, ST_X(r.geom), ST_Y(r.geom), r.category, r.subcategory, r.status, r.severity, r.description,
                       r.observed_at, r.district_id, r.square_id, r.address
                """
            if internalProfile {
                sql += """
                    , r.reporter, r.source, r.external_id, r.accuracy_m, r.media_url,
                      (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
                    """
            }
            sql += " FROM reports r\(query.whereClause) ORDER BY r.id"
            if let limit = options.filter.limit { sql += " LIMIT \(max(0, limit))" }

            var labels: [String: (title: String, category: String, color: String, symbol: String)] = [:]
            for category in taxonomy.categories {
                for sub in category.subcategories {
                    labels["\(category.code)/\(sub.code)"] = (sub.de, category.de, category.color, category.symbol)
                }
            }
            var times = LocalTimeFormatter()
            let properties = internalProfile ? Self.publicColumns + Self.internalColumns : Self.publicColumns
            var count = 0
            try AtomicFile.write(to: options.destination) { out in
                switch options.format {
                case .geojson: try out.write("{\"type\":\"FeatureCollection\",\"features\":[\n")
                case .csv: try out.write((["id", "lon", "lat"] + properties).map(CSVField.escape).joined(separator: ",") + "\r\n")
                case .geojsonseq: break
                }
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: query.arguments)
                while let row = try cursor.next() {
                    let id: Int64 = row[0]
                    let lon: Double = row[1], lat: Double = row[2]
                    let category: String = row[3], subcategory: String = row[4]
                    let label = labels["\(category)/\(subcategory)"] ?? ("\(category)/\(subcategory)", category, "#7f7f7f", "marker")
                    let severity: String = row[6]
                    let square = (row[10] as Int64?).flatMap { areas[$0] }
                    var values: [String?] = [
                        square.map { "\(label.title) – \($0)" } ?? label.title,
                        row[7], category, subcategory, label.category, label.title, row[5], severity,
                        times.local(fromUTC: row[8]), (row[9] as Int64?).flatMap { areas[$0] }, square, row[11],
                        label.color, label.symbol, Self.markerSize(severity),
                    ]
                    if internalProfile {
                        values += [row[12], row[13], (row[14] as String?) ?? "citymap-\(id)",
                                   (row[15] as Double?).map { String($0) }, row[16], row[17]]
                    }
                    switch options.format {
                    case .geojson, .geojsonseq:
                        if options.format == .geojsonseq { out.write(byte: 0x1E) } else if count > 0 { out.write(bytes: ",\n".utf8) }
                        out.write(bytes: "{\"type\":\"Feature\",\"id\":".utf8)
                        out.integer(id)
                        out.write(bytes: ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[".utf8)
                        out.fixed(lon, digits: options.precision)
                        out.write(byte: UInt8(ascii: ","))
                        out.fixed(lat, digits: options.precision)
                        out.write(bytes: "]},\"properties\":{".utf8)
                        for (i, (name, value)) in zip(properties, values).enumerated() {
                            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
                            out.jsonString(name)
                            out.write(byte: UInt8(ascii: ":"))
                            if name == "accuracy_m", let value { out.write(bytes: value.utf8) }
                            else if let value { out.jsonString(value) } else { out.write(bytes: "null".utf8) }
                        }
                        out.write(bytes: "}}".utf8)
                        if options.format == .geojsonseq { out.write(byte: 0x0A) }
                    case .csv:
                        out.integer(id)
                        out.write(byte: UInt8(ascii: ","))
                        out.fixed(lon, digits: options.precision)
                        out.write(byte: UInt8(ascii: ","))
                        out.fixed(lat, digits: options.precision)
                        for value in values {
                            out.write(byte: UInt8(ascii: ","))
                            if let value { out.write(bytes: CSVField.escape(value).utf8) }
                        }
                        out.write(bytes: "\r\n".utf8)
                    }
                    count += 1
                    try out.flushIfFull()
                }
                if options.format == .geojson { try out.write("\n]}\n") }
            }
            return count
        }
    }

    static let publicColumns = ["title", "description", "category", "subcategory", "category_label", "subcategory_label",
                                "status", "severity", "observed_at", "district", "square", "address",
                                "marker-color", "marker-symbol", "marker-size"]
    /// Personal or internal data: only in `--profile internal`.
    static let internalColumns = ["reporter", "source", "external_id", "accuracy_m", "media_url", "status_note"]

    static func markerSize(_ severity: String) -> String {
        switch severity {
        case "high", "urgent": return "large"
        case "low": return "small"
        default: return "medium"
        }
    }
}
