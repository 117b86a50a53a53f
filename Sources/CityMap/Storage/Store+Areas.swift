import Foundation
import GRDB

/// What an import of boundaries changed.
public struct AreaImportSummary: Sendable {
    public let added: [String]
    public let updated: [String]
    public let removed: [String]
    /// Reports whose district or square changed because of the new outlines.
    public let reassignedReports: Int
}

extension Store {
    /// All areas, districts first, then by name.
    public func areas(kind: AreaKind? = nil) throws -> [Area] {
        try read { db in
            var sql = "SELECT \(AreaRecord.selection) FROM areas"
            var arguments: StatementArguments = []
            if let kind {
                sql += " WHERE kind = ?"
                arguments = [kind.rawValue]
            }
            sql += " ORDER BY kind = 'square', name"
            return try AreaRecord.fetchAll(db, sql: sql, arguments: arguments).map(\.area)
        }
    }

    /// Number of reports placed in each area, keyed by area id.
    public func reportCountsByArea() throws -> [Int64: Int] {
        try read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT district_id AS id, COUNT(*) AS n FROM reports WHERE district_id IS NOT NULL GROUP BY district_id
                UNION ALL
                SELECT square_id, COUNT(*) FROM reports WHERE square_id IS NOT NULL GROUP BY square_id
                """) {
                counts[row["id"], default: 0] += row["n"] as Int
            }
            return counts
        }
    }

    /// Stores the areas of one kind and places every existing report again, in one transaction.
    /// An area whose code exists is updated in place; with `replace`, areas of that kind absent from the
    /// file are removed. Each outline is checked by GEOS (through SpatiaLite's `ST_IsValid`) before anything lands.
    public func importAreas(_ features: [AreaFeature], kind: AreaKind, replace: Bool = false) throws -> AreaImportSummary {
        defer { forgetCaches() }
        return try write { db in
            var added: [String] = [], updated: [String] = []
            let existing = Dictionary(uniqueKeysWithValues: try AreaRecord.fetchAll(
                db, sql: "SELECT \(AreaRecord.selection) FROM areas WHERE kind = ?", arguments: [kind.rawValue]
            ).map { ($0.area.code, $0.area.id) })
            for feature in features {
                let wkt = feature.shape.wkt
                if let valid = try Int.fetchOne(db, sql: "SELECT ST_IsValid(ST_GeomFromText(?, 4326))", arguments: [wkt]),
                   valid != 1 {
                    let reason = try String.fetchOne(db, sql: "SELECT ST_IsValidReason(ST_GeomFromText(?, 4326))",
                                                     arguments: [wkt]) ?? "invalid"
                    throw StorageError.invalidArea(name: "\(feature.name)' (feature \(feature.index)", reason: reason)
                }
                let district = kind == .square ? feature.district : nil
                if let id = existing[feature.code] {
                    try db.execute(sql: "UPDATE areas SET name = ?, source = ?, district_code = ?, geom = ST_GeomFromText(?, 4326) WHERE id = ?",
                                   arguments: [feature.name, feature.source, district, wkt, id])
                    updated.append(feature.name)
                } else {
                    try db.execute(sql: """
                        INSERT INTO areas (kind, code, name, source, district_code, geom) VALUES (?, ?, ?, ?, ?, ST_GeomFromText(?, 4326))
                        """, arguments: [kind.rawValue, feature.code, feature.name, feature.source, district, wkt])
                    added.append(feature.name)
                }
            }
            if kind == .square {
                let codes = Set(try String.fetchAll(db, sql: "SELECT code FROM areas WHERE kind = 'district'"))
                for feature in features {
                    if let district = feature.district, !codes.contains(district) {
                        throw StorageError.invalidArea(name: "\(feature.name)' (feature \(feature.index)",
                                                       reason: "names district '\(district)', which is not one of: \(codes.sorted().joined(separator: ", "))")
                    }
                }
            }
            try Self.assignSquaresToDistricts(db)
            var removed: [String] = []
            if replace {
                let keep = Set(features.map(\.code))
                for (code, id) in existing where !keep.contains(code) {
                    removed.append(try String.fetchOne(db, sql: "SELECT name FROM areas WHERE id = ?", arguments: [id]) ?? code)
                    try db.execute(sql: "DELETE FROM areas WHERE id = ?", arguments: [id])
                }
            }
            let index = AreaIndex(try Self.fetchAreaShapes(db))
            let moved = try Self.placeAllReports(db, index: index)
            return AreaImportSummary(added: added, updated: updated, removed: removed.sorted(), reassignedReports: moved)
        }
    }

    /// Gives every square that names no district the one it overlaps most (none if it overlaps none). The SQL is
    /// migration v8's, which did the same for squares stored before districts were set in the data.
    static func assignSquaresToDistricts(_ db: Database) throws {
        try db.execute(sql: Migrations.squareDistrictByOverlap)
    }

    /// Places every report again; returns how many changed district or square.
    static func placeAllReports(_ db: Database, index: AreaIndex) throws -> Int {
        struct Row3 { let id: Int64; let position: Coordinate; let district: Int64?; let square: Int64? }
        var rows: [Row3] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, district_id, square_id FROM reports")
        while let row = try cursor.next() {
            rows.append(Row3(id: row["id"], position: Coordinate(trustedLon: row["lon"], lat: row["lat"]),
                             district: row["district_id"], square: row["square_id"]))
        }
        let update = try db.makeStatement(sql: "UPDATE reports SET district_id = ?, square_id = ? WHERE id = ?")
        var moved = 0
        for row in rows {
            let placement = index.place(row.position)
            if placement.district?.id != row.district || placement.square?.id != row.square {
                try update.execute(arguments: [placement.district?.id, placement.square?.id, row.id])
                moved += 1
            }
        }
        return moved
    }

    static func fetchAreaShapes(_ db: Database) throws -> [AreaShape] {
        try Row.fetchAll(db, sql: "SELECT \(AreaRecord.selection), geom FROM areas ORDER BY id").map { row in
            let area = try AreaRecord(row: row).area
            guard let polygons = (row["geom"] as Data?).flatMap({ data in data.withUnsafeBytes { SpatiaLiteBlob.polygons(in: $0) } }) else {
                return AreaShape(area: area, shape: try shapeThroughSpatiaLite(db, area: area))
            }
            do {
                return AreaShape(area: area, shape: try MultiPolygon(polygons.map { rings throws(GeometryError) in
                    try Polygon(rings: try rings.enumerated().map { i, ring throws(GeometryError) in
                        try LinearRing(try ring.map { position throws(GeometryError) in try Coordinate(lon: position.x, lat: position.y) }, index: i)
                    })
                }))
            } catch let error as GeometryError {
                throw StorageError.invalidArea(name: area.name, reason: error.message(naming: { $0 }))
            }
        }
    }

    /// An area's shape in a geometry form other than the one `SpatiaLiteBlob` reads (compressed or with Z, as another
    /// tool may write it), read by SpatiaLite as GeoJSON.
    private static func shapeThroughSpatiaLite(_ db: Database, area: Area) throws -> MultiPolygon {
        let json = try String.fetchOne(db, sql: "SELECT AsGeoJSON(geom) FROM areas WHERE id = ?", arguments: [area.id]) ?? "null"
        do {
            return try GeoJSONGeometry.multiPolygon(from: try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed))
        } catch let problem as GeoJSONGeometry.Problem {
            throw StorageError.invalidArea(name: area.name, reason: "\(problem.field) \(problem.message)")
        }
    }
}
