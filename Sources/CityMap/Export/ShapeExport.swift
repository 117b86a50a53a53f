import Foundation
import GRDB

/// Areas (outlines) and walks (tracks) as GeoJSON, GeoJSON text sequences or CSV (geometry as WKT), styled
/// with simplestyle `stroke`, `stroke-width` and `fill` for viewers. Polygons keep the RFC 7946 orientation
/// given to them on import (exterior rings counter-clockwise).
extension Store {
    @discardableResult
    public func exportAreas(_ options: ExportOptions) throws -> Int {
        try exportShapes(options, sql: """
            SELECT AsGeoJSON(geom, ?) AS geometry, AsText(geom) AS wkt, id, kind, code, name, source FROM areas ORDER BY kind, name
            """) { row in
            let kind: String = row["kind"]
            return [("title", row["name"]), ("kind", kind), ("code", row["code"]), ("source", row["source"]),
                    ("stroke", kind == "district" ? "#3182bd" : "#31a354"), ("stroke-width", kind == "district" ? "3" : "2"),
                    ("fill", kind == "district" ? "#9ecae1" : "#a1d99b"), ("fill-opacity", "0.15")]
        }
    }

    @discardableResult
    public func exportWalks(_ options: ExportOptions) throws -> Int {
        var times = LocalTimeFormatter()
        return try exportShapes(options, sql: """
            SELECT AsGeoJSON(geom, ?) AS geometry, AsText(geom) AS wkt, w.*,
                   (SELECT COUNT(*) FROM reports r WHERE r.walk_id = w.id) AS reports
            FROM walks w ORDER BY w.started_at, w.id
            """) { row in
            let length: Double = row["length_m"]
            let reports: Int = row["reports"]
            let districts: String = row["districts"]
            let description = "\(Meters(length)), \(reports) report\(reports == 1 ? "" : "s")"
                + (districts.isEmpty ? "" : ", through \(districts)")
            var properties: [(String, String?)] = [
                ("title", row["name"]), ("description", description), ("team", row["team"]),
                ("started_at", (row["started_at"] as String?).map { times.local(fromUTC: $0) }),
                ("ended_at", (row["ended_at"] as String?).map { times.local(fromUTC: $0) }),
                ("length_m", String((length * 10).rounded() / 10)), ("reports", String(reports)), ("districts", districts),
                ("stroke", "#e6550d"), ("stroke-width", "4"), ("stroke-opacity", "0.8"),
            ]
            if options.profile == .public { properties.removeAll { $0.0 == "team" } }
            return properties
        }
    }

    private static let numericProperties: Set<String> = ["stroke-width", "fill-opacity", "stroke-opacity", "length_m", "reports"]

    private func exportShapes(_ options: ExportOptions, sql: String,
                              properties: (Row) -> [(String, String?)]) throws -> Int {
        let options = try options.validated()
        return try read { db in
            var count = 0
            try AtomicFile.write(to: options.destination) { out in
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: [options.precision])
                if options.format == .geojson { try out.write("{\"type\":\"FeatureCollection\",\"features\":[\n") }
                while let row = try cursor.next() {
                    let props = properties(row)
                    switch options.format {
                    case .csv:
                        if count == 0 { try out.write((["wkt"] + props.map(\.0)).map(CSVField.escape).joined(separator: ",") + "\r\n") }
                        try out.write(([row["wkt"] as String] + props.map { $0.1 ?? "" }).map(CSVField.escape).joined(separator: ",") + "\r\n")
                    case .geojson, .geojsonseq:
                        if options.format == .geojsonseq { out.write(byte: 0x1E) } else if count > 0 { try out.write(",\n") }
                        try out.write("{\"type\":\"Feature\",\"id\":\(row["id"] as Int64),\"geometry\":")
                        try out.write(row["geometry"] as String)
                        try out.write(",\"properties\":{")
                        for (i, (name, value)) in props.enumerated() {
                            if i > 0 { out.write(byte: UInt8(ascii: ",")) }
                            out.jsonString(name)
                            out.write(byte: UInt8(ascii: ":"))
                            if let value, Self.numericProperties.contains(name) { try out.write(value) }
                            else if let value { out.jsonString(value) } else { try out.write("null") }
                        }
                        try out.write("}}" + (options.format == .geojsonseq ? "\n" : ""))
                    }
                    count += 1
                }
                if options.format == .geojson { try out.write("\n]}\n") }
            }
            return count
        }
    }
}
