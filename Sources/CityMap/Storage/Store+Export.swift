import CSQLite
import Foundation
import GRDB

/// The queries behind exports: rows are read from an SQLite cursor and handed to the writers of `Export/`, which
/// stream them to the sink the caller passes (a file written aside, standard output, an HTTP response body).
extension Store {
    /// Rows per block handed from the reading thread to the formatting ones: about 2.5 MB of GeoJSON.
    static let exportBlockRows = 4096

    /// Streams the reports that pass the filter, in id order; returns how many were written.
    @discardableResult
    public func exportReports(_ options: ExportOptions, to sink: ByteSink) throws -> Int {
        let options = try options.validated()
        // The export reads the geometry's bytes itself: SpatiaLite is loaded only for a filter that calls it.
        return try plainRead { db in
            let query = try ReportQuery(options.filter, db: db, taxonomy: try Self.taxonomy(db), projector: projector)
            if query.usesSpatiaLite { try loadSpatiaLite(db) }
            // The columns of `ReportExportLayout.Column`, in order: the report's own, with no join but the contact
            // (an integer key). Category styles and area names are read once and looked up by the writer.
            // The contact's names (redacted from the texts) come from a join only when there are contacts: on a file
            // without any, the join's lookup per row was a tenth of the reading thread's work.
            let contacts = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM report_contacts)") ?? true
            var sql = """
                SELECT r.id, r.geom, r.square_id, r.district_id, r.category, r.subcategory, r.status, r.severity,
                       r.observed_at, r.description, r.address, r.reporter, \(contacts ? "ct.first_name, ct.last_name" : "NULL, NULL")
                """
            if options.profile == .internal {
                sql += """
                    , r.source, r.external_id, r.accuracy_m, r.media_url,
                      (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
                    """
            }
            sql += """
                 FROM reports r\(contacts ? " LEFT JOIN report_contacts ct ON ct.report_id = r.id" : "")
                \(query.whereClause) ORDER BY r.id
                """
            if let limit = options.filter.limit { sql += " LIMIT \(max(0, limit))" }
            if options.offset > 0 { sql += (options.filter.limit == nil ? " LIMIT -1" : "") + " OFFSET \(options.offset)" }
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(query.arguments)
            let row = RowReader(handle: statement.sqliteStatement)
            var areaNames: [String?] = []
            for area in try AreaRecord.fetchAll(db, sql: "SELECT \(AreaRecord.selection) FROM areas").map(\.area) {
                let id = Int(area.id)
                if id >= 0 && id < 1_000_000 {
                    if areaNames.count <= id { areaNames += Array(repeating: nil, count: id + 1 - areaNames.count) }
                    areaNames[id] = area.name
                }
            }
            let styles = try Row.fetchAll(db, sql: """
                SELECT category, subcategory, category_label_de, label_de, color, symbol FROM categories ORDER BY rowid
                """).map { CategoryStyle(category: $0[0], subcategory: $0[1], categoryLabel: $0[2], label: $0[3], color: $0[4], symbol: $0[5]) }
            // This thread steps SQLite and copies rows into blocks; two threads format them; a fourth writes them in
            // order where the output allows (a file, a response), else this one (measured in BENCHMARKS.md).
            let writer = ReportFeatureWriter(options: options, areaNames: areaNames, styles: styles)
            let kinds = ReportExportLayout.Column.allCases.prefix(Int(sqlite3_column_count(row.handle))).map { column -> RowBlock.Kind in
                switch column {
                case .id, .square, .district: return .integer
                case .accuracy: return .real
                case .geometry: return .blob
                default: return .text
                }
            }
            try writer.begin(sink)
            var count = 0
            let blocks = Recycler<RowBlock>(), buffers = Recycler<ByteBuffer>()
            func block(from index: Int) -> RowBlock {
                guard let block = blocks.take() else { return RowBlock(kinds: kinds, firstIndex: index, rows: Self.exportBlockRows) }
                block.reset(firstIndex: index)
                return block
            }
            try OrderedWork.run(states: [writer, writer], limit: 4, consumer: sink.writesFromAnyThread ? .ownThread : .caller, produce: { put in
                var next = block(from: 0)
                while try row.step(connection: db.sqliteConnection) {
                    next.append(row.handle)
                    count += 1
                    if next.count == Self.exportBlockRows {
                        try put(next)
                        next = block(from: count)
                    }
                }
                if next.count > 0 { try put(next) }
            }, transform: { writer, block in
                let bytes = buffers.take() ?? ByteBuffer()
                bytes.reset(reserving: block.textBytes * 2 + block.count * 512) // about what a feature takes: no copies as it grows
                try bytes.write { out in
                    for i in 0..<block.count { try writer.write(block.row(i), index: block.firstIndex + i, into: &out) }
                }
                blocks.give(block)
                return bytes
            }, consume: { bytes in
                try sink.write(block: bytes)
                buffers.give(bytes)
            })
            try writer.end(sink)
            return count
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
