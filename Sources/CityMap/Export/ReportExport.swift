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
            let query = try ReportQuery(options.filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            // Columns line up with `properties` from column 3 on; the loop only copies bytes. The point is read
            // from the geometry blob in place, area names from an array by id, so SQL does no per-row work
            // beyond one category lookup. Columns 3 and 12-13 are filled by the loop (title, district, square).
            var sql = """
                SELECT r.id, r.geom, r.square_id, NULL,
                       r.description, r.category, r.subcategory, COALESCE(c.category_label_de, r.category),
                       COALESCE(c.label_de, r.category || '/' || r.subcategory), r.status, r.severity, r.observed_at,
                       r.district_id, NULL, r.address, COALESCE(c.color, '#7f7f7f'), COALESCE(c.symbol, 'marker'), NULL
                """
            if internalProfile {
                sql += """
                    , r.reporter, r.source, COALESCE(r.external_id, 'citymap-' || r.id), r.accuracy_m, r.media_url,
                      (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
                    """
            }
            sql += """
                 FROM reports r
                 LEFT JOIN categories c ON c.category = r.category AND c.subcategory = r.subcategory
                \(query.whereClause) ORDER BY r.id
                """
            if let limit = options.filter.limit { sql += " LIMIT \(max(0, limit))" }
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(query.arguments)
            let row = RowReader(handle: statement.sqliteStatement)
            var areaNames: [[UInt8]?] = []
            for area in try Row.fetchAll(db, sql: "SELECT id, name FROM areas") {
                let id = Int(area["id"] as Int64)
                if id >= 0 && id < 1_000_000 {
                    if areaNames.count <= id { areaNames += Array(repeating: nil, count: id + 1 - areaNames.count) }
                    areaNames[id] = Array((area["name"] as String).utf8)
                }
            }
            func areaName(_ column: Int32) -> [UInt8]? {
                guard !row.isNull(column) else { return nil }
                let id = Int(row.int64(column))
                return id >= 0 && id < areaNames.count ? areaNames[id] : nil
            }
            let dash = Array(" – ".utf8)
            let large = Array("large".utf8), small = Array("small".utf8), medium = Array("medium".utf8)

            let properties = internalProfile ? Self.publicColumns + Self.internalColumns : Self.publicColumns
            let observedAt = properties.firstIndex(of: "observed_at")!, accuracy = properties.firstIndex(of: "accuracy_m")
            // `"name":` for each property, the first without a leading comma: written as bytes, never rebuilt.
            let keys: [[UInt8]] = properties.enumerated().map { i, name in
                var bytes: [UInt8] = i == 0 ? [] : [UInt8(ascii: ",")]
                bytes.appendJSONString(name)
                bytes.append(UInt8(ascii: ":"))
                return bytes
            }
            let geojson = options.format != .csv, sequence = options.format == .geojsonseq
            let digits = options.precision
            var times = LocalTimeFormatter()
            var count = 0
            try AtomicFile.write(to: options.destination) { out in
                switch options.format {
                case .geojson: try out.write("{\"type\":\"FeatureCollection\",\"features\":[\n")
                case .csv: try out.write((["id", "lon", "lat"] + properties).map(CSVField.escape).joined(separator: ",") + "\r\n")
                case .geojsonseq: break
                }
                while try row.step(connection: db.sqliteConnection) {
                    guard let point = row.point(1) else {
                        throw StorageError.sqlite(path: path, message: "report #\(row.int64(0)) has no point geometry")
                    }
                    let square = areaName(2), district = areaName(12)
                    out.withBuffer { b in
                        if geojson {
                            if sequence { b.append(0x1E) } else if count > 0 { b.append(contentsOf: ",\n".utf8) }
                            b.append(contentsOf: "{\"type\":\"Feature\",\"id\":".utf8)
                            b.appendInteger(row.int64(0))
                            b.append(contentsOf: ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[".utf8)
                        } else {
                            b.appendInteger(row.int64(0))
                            b.append(UInt8(ascii: ","))
                        }
                        b.appendFixed(point.x, digits: digits)
                        b.append(UInt8(ascii: ","))
                        b.appendFixed(point.y, digits: digits)
                        if geojson { b.append(contentsOf: "]},\"properties\":{".utf8) }
                        for i in properties.indices {
                            let column = Int32(i + 3)
                            if geojson { b.append(contentsOf: keys[i]) } else { b.append(UInt8(ascii: ",")) }
                            if i == 0, geojson, let label = row.text(8) {
                                // The title: the subcategory's label, and the square where there is one.
                                b.append(UInt8(ascii: "\""))
                                b.appendJSONContent(bytes: label)
                                if let square {
                                    dash.withUnsafeBufferPointer { b.append(contentsOf: $0) }
                                    square.withUnsafeBufferPointer { b.appendJSONContent(bytes: $0) }
                                }
                                b.append(UInt8(ascii: "\""))
                            } else if let composed = i == 0 ? Self.title(row.text(8), square, dash) : i == 9 ? district
                                : i == 10 ? square : i == 14 ? Self.markerSize(row.text(10)?.first, large, small, medium) : nil {
                                composed.withUnsafeBufferPointer { geojson ? b.appendJSONString(bytes: $0) : b.appendCSVField(bytes: $0) }
                            } else if row.isNull(column) {
                                if geojson { b.append(contentsOf: "null".utf8) }
                            } else if i == accuracy {
                                b.append(contentsOf: String(row.double(column)).utf8)
                            } else if i == observedAt, let bytes = row.text(column) {
                                var local = times.local(fromUTC: bytes)
                                local.withUTF8 { geojson ? b.appendJSONString(bytes: $0) : b.append(contentsOf: $0) }
                            } else if let bytes = row.text(column) {
                                if geojson { b.appendJSONString(bytes: bytes) } else { b.appendCSVField(bytes: bytes) }
                            }
                        }
                        b.append(contentsOf: geojson ? "}}".utf8 : "\r\n".utf8)
                        if sequence { b.append(0x0A) }
                    }
                    count += 1
                    try out.flushIfFull()
                }
                if options.format == .geojson { try out.write("\n]}\n") }
            }
            return count
        }
    }

    /// "Littering / Müll – Burgplatz": the subcategory's label, and the square where there is one.
    private static func title(_ label: UnsafeBufferPointer<UInt8>?, _ square: [UInt8]?, _ dash: [UInt8]) -> [UInt8] {
        var bytes = label.map { Array($0) } ?? []
        if let square { bytes += dash; bytes += square }
        return bytes
    }

    /// simplestyle marker-size by severity: high and urgent large, low small, else medium.
    private static func markerSize(_ severityInitial: UInt8?, _ large: [UInt8], _ small: [UInt8], _ medium: [UInt8]) -> [UInt8] {
        switch severityInitial {
        case UInt8(ascii: "h"), UInt8(ascii: "u"): return large
        case UInt8(ascii: "l"): return small
        default: return medium
        }
    }

    static let publicColumns = ["title", "description", "category", "subcategory", "category_label", "subcategory_label",
                                "status", "severity", "observed_at", "district", "square", "address",
                                "marker-color", "marker-symbol", "marker-size"]
    /// Personal or internal data: only in `--profile internal`.
    static let internalColumns = ["reporter", "source", "external_id", "accuracy_m", "media_url", "status_note"]
}
