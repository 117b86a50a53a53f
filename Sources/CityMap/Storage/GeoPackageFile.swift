import Foundation
import GRDB

/// GeoPackage files (OGC 12-128r18): QField's and QGIS's own format. GeoPackage is SQLite, so it is read and
/// written through SQLite here, without GDAL.
///
/// Reading: every point layer (`gpkg_geometry_columns` of type POINT or MULTIPOINT), each feature a record whose
/// columns are found by name as in a CSV; the layer's SRS (an EPSG code in `gpkg_spatial_ref_sys`) is the file's
/// CRS, transformed to WGS84 by the import.
struct GeoPackageReports: RecordReader {
    private var list: ListReader
    let crs: String?
    var bytesRead: UInt64 { 0 }

    init(url: URL, statuses: [String: ReportStatus], zone: TimeZone) throws(ImportError) {
        var configuration = Configuration()
        configuration.readonly = true
        let layers: [(table: String, column: String, srs: Int64, organization: String?, code: Int64?)]
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            layers = try queue.read { db in
                guard try db.tableExists("gpkg_geometry_columns") else { return [] }
                return try Row.fetchAll(db, sql: """
                    SELECT g.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id
                    FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                    WHERE upper(g.geometry_type_name) IN ('POINT', 'MULTIPOINT') ORDER BY g.table_name
                    """).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
            }
        } catch {
            throw ImportError(file: url.path, message: "is not a readable GeoPackage (\(error))")
        }
        guard !layers.isEmpty else {
            throw ImportError(file: url.path, field: "gpkg_geometry_columns",
                              message: "has no point layer; reports are points (QField and QGIS: a layer of type Point)")
        }
        // One CRS per file: the import transforms the whole file at once.
        let codes = Set(layers.map { layer -> String? in
            guard layer.organization?.uppercased() == "EPSG", let code = layer.code, code != 4326 else { return nil }
            return "EPSG:\(code)"
        })
        guard codes.count == 1 else {
            throw ImportError(file: url.path, field: "gpkg_geometry_columns",
                              message: "has point layers in different CRSs (\(codes.map { $0 ?? "EPSG:4326" }.sorted().joined(separator: ", "))); export one layer per file")
        }
        crs = codes.first!
        var records: [Result<RawReport, RecordProblem>] = []
        do {
            try queue.read { db in
                for layer in layers {
                    let quoted = layer.table.replacingOccurrences(of: "\"", with: "\"\"")
                    let columns = try db.columns(in: layer.table).map(\.name)
                    // Columns found by name, as in a CSV; the first of each field wins.
                    var seen = Set<FieldName>()
                    var fields: [(String, FieldName)] = []
                    for name in columns where name != layer.column {
                        guard let field = FieldName.recognise(name), field != .wkt, !seen.contains(field) else { continue }
                        seen.insert(field)
                        fields.append((name, field))
                    }
                    let primaryKey = try db.primaryKey(layer.table).columns.first ?? "rowid"
                    let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(quoted)\" ORDER BY \"\(primaryKey)\"")
                    var number = 0
                    while let row = try cursor.next() {
                        number += 1
                        let fid = (row[primaryKey] as Int64?).map(String.init) ?? String(number)
                        var raw = RawReport(location: "layer \(layer.table), feature \(fid)")
                        do {
                            guard let blob = row[layer.column] as Data? else {
                                throw RecordProblem(location: raw.location, field: layer.column, message: "is empty: the feature has no position")
                            }
                            do {
                                guard let point = try GeoPackageBinary.point(Array(blob)) else {
                                    throw RecordProblem(location: raw.location, field: layer.column, message: "is an empty geometry: the feature has no position")
                                }
                                raw.lon = point.x
                                raw.lat = point.y
                            } catch let problem as GeoPackageBinary.Problem {
                                throw RecordProblem(location: raw.location, field: layer.column, message: problem.message)
                            }
                            for (name, field) in fields {
                                let value = row[name] as DatabaseValue
                                let text: String
                                switch value.storage {
                                case .string(let s): text = s
                                case .int64(let i): text = String(i)
                                case .double(let d): text = String(d)
                                case .null, .blob: continue
                                }
                                try raw.set(field, column: name, text: text, statuses: statuses, zone: zone)
                            }
                            if raw.externalID == nil { raw.externalID = "\(layer.table)/\(fid)" }
                            records.append(.success(raw))
                        } catch let problem as RecordProblem {
                            records.append(.failure(problem))
                        }
                    }
                }
            }
            try queue.close()
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(file: url.path, message: "could not be read as a GeoPackage (\(error))")
        }
        list = ListReader(records)
    }

    mutating func next() throws(ImportError) -> Result<RawReport, RecordProblem>? { try list.next() }
}
