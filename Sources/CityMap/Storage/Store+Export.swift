import Foundation
import GRDB

/// The queries behind exports: rows are read from an SQLite cursor and handed to the writers of `Export/`, which
/// stream them to the sink the caller passes (a file written aside, standard output, an HTTP response body).
extension Store {
    /// Streams the reports that pass the filter, in id order; returns how many were written.
    @discardableResult
    public func exportReports(_ options: ExportOptions, to sink: ByteSink) throws -> Int {
        let options = try options.validated()
        return try read { db in
            let query = try ReportQuery(options.filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            // Columns line up with `ReportExportLayout.properties` from column 3 on; the writer only copies bytes.
            // The point is read from the geometry blob in place, area names from an array by id, so SQL does no
            // per-row work beyond one category lookup. Columns 3 and 12-13 are filled by the writer.
            var sql = """
                SELECT r.id, r.geom, r.square_id, NULL,
                       r.description, r.category, r.subcategory, COALESCE(c.category_label_de, r.category),
                       COALESCE(c.label_de, r.category || '/' || r.subcategory), r.status, r.severity, r.observed_at,
                       r.district_id, NULL, r.address, COALESCE(c.color, '#7f7f7f'), COALESCE(c.symbol, 'marker'), NULL
                """
            if options.profile == .internal {
                sql += """
                    , r.reporter, r.source, COALESCE(r.external_id, 'citymap-' || r.id), r.accuracy_m, r.media_url,
                      (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
                    """
            } else {
                // Not written: the names the public text must not show.
                sql += ", r.reporter, ct.first_name, ct.last_name"
            }
            sql += """
                 FROM reports r
                 LEFT JOIN categories c ON c.category = r.category AND c.subcategory = r.subcategory
                 LEFT JOIN report_contacts ct ON ct.report_id = r.id
                \(query.whereClause) ORDER BY r.id
                """
            if let limit = options.filter.limit { sql += " LIMIT \(max(0, limit))" }
            if options.offset > 0 { sql += (options.filter.limit == nil ? " LIMIT -1" : "") + " OFFSET \(options.offset)" }
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(query.arguments)
            let row = RowReader(handle: statement.sqliteStatement)
            var areaNames: [[UInt8]?] = []
            for area in try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas").map(\.area) {
                let id = Int(area.id)
                if id >= 0 && id < 1_000_000 {
                    if areaNames.count <= id { areaNames += Array(repeating: nil, count: id + 1 - areaNames.count) }
                    areaNames[id] = Array(area.name.utf8)
                }
            }
            var writer = ReportFeatureWriter(options: options, sink: sink, areaNames: areaNames)
            try writer.begin()
            while try row.step(connection: db.sqliteConnection) { try writer.write(row) }
            try writer.end()
            return writer.count
        }
    }

    /// Districts and squares with simplestyle `stroke`, `stroke-width` and `fill`; exterior rings counter-clockwise.
    @discardableResult
    public func exportAreas(_ options: ExportOptions, to sink: ByteSink) throws -> Int {
        let options = try options.validated()
        let shapes = try read { db in try Self.fetchAreaShapes(db) }
            .sorted { ($0.area.kind.rawValue, $0.area.name) < ($1.area.kind.rawValue, $1.area.name) }
        return try ShapeExport.write(options, to: sink, shapes.map { shape in
            let a = shape.area, district = a.kind == .district
            return ShapeExport.Item(id: a.id, geometry: .multiPolygon(shape.shape.rfc7946Oriented), properties: [
                ("title", .text(a.name)), ("kind", .text(a.kind.rawValue)), ("code", .text(a.code)), ("source", .text(a.source)),
                ("stroke", .text(district ? "#3182bd" : "#31a354")), ("stroke-width", .number(district ? "3" : "2")),
                ("fill", .text(district ? "#9ecae1" : "#a1d99b")), ("fill-opacity", .number("0.15")),
            ])
        })
    }

    /// Walks as MultiLineStrings (a segment per stretch walked without a pause) with their length, reports and
    /// districts; the team only in the internal profile. Planned walks (GPX routes) are dashed.
    @discardableResult
    public func exportWalks(_ options: ExportOptions, to sink: ByteSink) throws -> Int {
        let options = try options.validated()
        let items: [ShapeExport.Item] = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT AsGeoJSON(w.geom) AS geometry, w.*, (SELECT COUNT(*) FROM reports r WHERE r.walk_id = w.id) AS reports
                FROM walks w ORDER BY w.started_at, w.id
                """).map { row in
                let walk = try WalkRecord(row: row).walk
                let object = try JSONSerialization.jsonObject(with: Data((row["geometry"] as String).utf8))
                let lines: [[Coordinate]]
                do { lines = try GeoJSONGeometry.multiLineString(from: object) } catch let problem as GeoJSONGeometry.Problem {
                    throw StorageError.sqlite(path: path, message: "walk #\(walk.id) has no readable line: \(problem.field) \(problem.message)")
                }
                let description = "\(walk.length), \(walk.reportCount) report\(walk.reportCount == 1 ? "" : "s")"
                    + (walk.districts.isEmpty ? "" : ", through \(walk.districts.joined(separator: ", "))")
                var properties: [(String, PropertyValue)] = [
                    ("title", .text(walk.name)), ("description", .text(description)), ("team", .text(walk.team)),
                    ("started_at", .text(walk.startedAt.map { Timestamp.local($0) })), ("ended_at", .text(walk.endedAt.map { Timestamp.local($0) })),
                    ("length_m", .number(String((walk.length.value * 10).rounded() / 10))), ("reports", .integer(Int64(walk.reportCount))),
                    ("districts", .text(walk.districts.joined(separator: ", "))), ("planned", .text(walk.planned ? "yes" : "no")),
                    ("stroke", .text(walk.planned ? "#3182bd" : "#e6550d")), ("stroke-width", .number("4")), ("stroke-opacity", .number("0.8")),
                ]
                if options.profile == .public { properties.removeAll { $0.0 == "team" } }
                return ShapeExport.Item(id: walk.id, geometry: .multiLineString(lines), properties: properties)
            }
        }
        return try ShapeExport.write(options, to: sink, items)
    }
}

extension Store {
    /// Writes the units matching the filter as GeoJSON, a GeoJSON text sequence or CSV (`options.format`); returns
    /// how many were written.
    @discardableResult
    public func exportVacancy(_ filter: VacancyFilter, options: ExportOptions, to sink: ByteSink) throws -> Int {
        let options = try options.validated()
        return try ShapeExport.write(options, to: sink, VacancyExport.items(try vacancyUnits(matching: filter)))
    }
}
