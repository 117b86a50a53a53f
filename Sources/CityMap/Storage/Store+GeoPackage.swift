import Foundation
import GRDB

/// What `exportGeoPackage` wrote, per layer.
public struct GeoPackageSummary: Sendable {
    public var reports = 0
    public var walks = 0
    public var areas = 0
}

extension Store {
    /// Writes reports (with the filter), walks and areas as one GeoPackage for QGIS and QField: three layers in
    /// EPSG:4326 with the same properties as the GeoJSON exports of the profile (public by default: no personal
    /// data). The features come from those exports, as RFC 8142 text sequences, so both formats carry exactly the
    /// same; the file is written aside and renamed when complete. uMap's `_umap_options` is left out.
    @discardableResult
    public func exportGeoPackage(to url: URL, options: ExportOptions, mode: mode_t = 0o644) throws -> GeoPackageSummary {
        var options = try options.validated()
        options.format = .geojsonseq
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw OutputError.cannotWrite(url.path, reason: "the folder \(folder.path) does not exist")
        }
        try OutputTarget.check(url, protecting: protectedFiles)
        AtomicFile.removeStalePartials(of: url)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        unlink(temporary.path)
        var summary = GeoPackageSummary()
        do {
            let queue = try DatabaseQueue(path: temporary.path)
            try queue.inDatabase { db in
                try GeoPackageLayout.create(db)
                try db.inTransaction {
                    var reports = GeoPackageLayer(db: db, table: "reports", geometryType: "POINT", description: "citymap reports (\(options.profile.rawValue))")
                    summary.reports = try exportReports(options, to: ByteSink(reports.lines))
                    try reports.finish()
                    var walks = GeoPackageLayer(db: db, table: "walks", geometryType: "MULTILINESTRING", description: "citymap walks (Quartierrundgänge)")
                    summary.walks = try exportWalks(options, to: ByteSink(walks.lines))
                    try walks.finish()
                    var areas = GeoPackageLayer(db: db, table: "areas", geometryType: "MULTIPOLYGON", description: "citymap districts and squares")
                    summary.areas = try exportAreas(options, to: ByteSink(areas.lines))
                    try areas.finish()
                    return .commit
                }
            }
            try queue.close()
            guard chmod(temporary.path, mode) == 0, rename(temporary.path, url.path) == 0 else {
                throw OutputError.cannotWrite(url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary.path)
            unlink(temporary.path + "-journal")
            throw error
        }
        return summary
    }
}

/// The GeoPackage's own tables: application id, version, the SRSs and the table of contents.
enum GeoPackageLayout {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            PRAGMA application_id = 1196444487;
            PRAGMA user_version = 10300;
            CREATE TABLE gpkg_spatial_ref_sys (
                srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES
                ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
                ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
                ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
            CREATE TABLE gpkg_contents (
                table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
                last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
                table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
                z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
            """)
    }
}

/// One feature table, filled from the lines of a GeoJSON text sequence: its columns are the first feature's
/// properties (text or number), made when that feature arrives.
struct GeoPackageLayer {
    final class Lines: ByteOutput {
        var pending: [UInt8] = []
        var handle: (([UInt8]) throws -> Void)?

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            pending.append(contentsOf: bytes)
            var start = 0
            while let end = pending[start...].firstIndex(of: 0x0A) {
                var line = Array(pending[start..<end])
                if line.first == 0x1E { line.removeFirst() }
                if !line.isEmpty { try handle?(line) }
                start = end + 1
            }
            pending.removeFirst(start)
        }
    }

    let lines = Lines()
    private final class State {
        var columns: [(name: String, isNumber: Bool)]?
        var insert: Statement?
        var bounds: (Double, Double, Double, Double)?
    }
    private let state = State()
    private let db: Database
    private let table: String
    private let geometryType: String
    private let description: String

    init(db: Database, table: String, geometryType: String, description: String) {
        self.db = db
        self.table = table
        self.geometryType = geometryType
        self.description = description
        let state = state
        lines.handle = { [db] line in try Self.insert(line, db: db, table: table, state: state) }
    }

    private static func insert(_ line: [UInt8], db: Database, table: String, state: State) throws {
        guard let feature = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return }
        let properties = (feature["properties"] as? [String: Any] ?? [:])
        if state.columns == nil {
            let keys = properties.keys.filter { !$0.hasPrefix("_") && !(properties[$0] is [String: Any]) }.sorted()
            state.columns = keys.map { key in (key, properties[key] is NSNumber && !(properties[key] is String)) }
            try createTable(db, table: table, columns: state.columns!)
            let names = ["fid", "geom"] + state.columns!.map(\.name)
            state.insert = try db.makeStatement(sql: "INSERT INTO \"\(table)\" (\(names.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
        }
        let geometry = feature["geometry"] as? [String: Any]
        let (blob, points) = try Self.blob(geometry)
        for p in points {
            state.bounds = state.bounds.map { (min($0.0, p.x), min($0.1, p.y), max($0.2, p.x), max($0.3, p.y)) } ?? (p.x, p.y, p.x, p.y)
        }
        var values: [(any DatabaseValueConvertible)?] = [(feature["id"] as? NSNumber)?.int64Value, Data(blob)]
        for column in state.columns! {
            switch properties[column.name] {
            case let text as String: values.append(text)
            case let number as NSNumber: values.append(number.doubleValue)
            default: values.append(nil)
            }
        }
        try state.insert!.execute(arguments: StatementArguments(values))
    }

    private static func createTable(_ db: Database, table: String, columns: [(name: String, isNumber: Bool)]) throws {
        let definitions = columns.map { "\"\($0.name.replacingOccurrences(of: "\"", with: "\"\""))\" \($0.isNumber ? "REAL" : "TEXT")" }
        try db.execute(sql: "CREATE TABLE \"\(table)\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB\((definitions.isEmpty ? "" : ", " + definitions.joined(separator: ", "))))")
    }

    /// The GeoPackage blob of a GeoJSON geometry, and its positions (for the layer's bounds).
    private static func blob(_ geometry: [String: Any]?) throws -> ([UInt8], [(x: Double, y: Double)]) {
        func position(_ any: Any) -> (x: Double, y: Double) {
            let p = any as? [NSNumber] ?? []
            return (p.first?.doubleValue ?? .nan, p.dropFirst().first?.doubleValue ?? .nan)
        }
        func line(_ any: Any) -> [(x: Double, y: Double)] { (any as? [Any] ?? []).map(position) }
        let coordinates = geometry?["coordinates"] ?? []
        switch geometry?["type"] as? String {
        case "Point":
            let p = position(coordinates)
            return (GeoPackageBinary.point(x: p.x, y: p.y), [p])
        case "LineString":
            let l = line(coordinates)
            return (GeoPackageBinary.multiLineString([l]), l)
        case "MultiLineString":
            let lines = (coordinates as? [Any] ?? []).map(line)
            return (GeoPackageBinary.multiLineString(lines), lines.flatMap { $0 })
        case "Polygon":
            let rings = (coordinates as? [Any] ?? []).map(line)
            return (GeoPackageBinary.multiPolygon([rings]), rings.flatMap { $0 })
        case "MultiPolygon":
            let polygons = (coordinates as? [Any] ?? []).map { ($0 as? [Any] ?? []).map(line) }
            return (GeoPackageBinary.multiPolygon(polygons), polygons.flatMap { $0.flatMap { $0 } })
        default:
            throw StorageError.spatiaLite("an export feature has no geometry GeoPackage can hold: \(geometry?["type"] ?? "none")")
        }
    }

    /// Registers the table in the GeoPackage's contents with its bounds (an empty layer still gets its table).
    mutating func finish() throws {
        if state.columns == nil { try Self.createTable(db, table: table, columns: []) }
        let b = state.bounds
        try db.execute(sql: """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
            VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)
            """, arguments: [table, table, description, b?.0, b?.1, b?.2, b?.3])
        try db.execute(sql: "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)", arguments: [table, geometryType])
    }
}
