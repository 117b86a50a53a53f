import Foundation
import GRDB
import Testing
@testable import CityMap

/// SpatiaLite's BLOB geometries read in Swift, checked against SpatiaLite's own reading of the same bytes
/// (`ST_NumGeometries`, `ST_NPoints`, `ST_X(ST_PointN(…))` …) on the areas of a real file.
@Suite("SpatiaLite geometry blobs read in place")
struct SpatiaLiteBlobTests {
    /// Every area's rings as SpatiaLite reads them: polygons, rings (exterior first), points.
    static func spatiaLiteRings(_ db: Database, id: Int64) throws -> [[[(x: Double, y: Double)]]] {
        let count = try Int.fetchOne(db, sql: "SELECT ST_NumGeometries(geom) FROM areas WHERE id = ?", arguments: [id]) ?? 0
        var polygons: [[[(x: Double, y: Double)]]] = []
        for n in stride(from: 1, through: count, by: 1) {
            let polygon = "ST_GeometryN(geom, \(n))"
            let holes = try Int.fetchOne(db, sql: "SELECT ST_NumInteriorRing(\(polygon)) FROM areas WHERE id = ?", arguments: [id]) ?? 0
            var rings: [[(x: Double, y: Double)]] = []
            for ring in ["ST_ExteriorRing(\(polygon))"] + (0..<holes).map({ "ST_InteriorRingN(\(polygon), \($0 + 1))" }) {
                let points = try Int.fetchOne(db, sql: "SELECT ST_NPoints(\(ring)) FROM areas WHERE id = ?", arguments: [id]) ?? 0
                var positions: [(x: Double, y: Double)] = []
                for p in stride(from: 1, through: points, by: 1) {
                    let row = try Row.fetchOne(db, sql: "SELECT ST_X(ST_PointN(\(ring), \(p))), ST_Y(ST_PointN(\(ring), \(p))) FROM areas WHERE id = ?",
                                               arguments: [id])!
                    positions.append((row[0], row[1]))
                }
                rings.append(positions)
            }
            polygons.append(rings)
        }
        return polygons
    }

    @Test func areaBlobsReadAsSpatiaLiteReadsThem() throws {
        let t = try TestStore()
        let rows = try t.store.read { db in try Row.fetchAll(db, sql: "SELECT id, geom FROM areas ORDER BY id") }
        #expect(rows.count == 9) // two districts and seven squares
        for row in rows {
            let id: Int64 = row["id"]
            let blob: Data = row["geom"]
            let ours = try #require(blob.withUnsafeBytes { SpatiaLiteBlob.polygons(in: $0) }, "area \(id)")
            let theirs = try t.store.read { db in try Self.spatiaLiteRings(db, id: id) }
            try #require(ours.count == theirs.count, "area \(id): polygons")
            for (a, b) in zip(ours, theirs) {
                try #require(a.count == b.count, "area \(id): rings")
                for (r, s) in zip(a, b) {
                    try #require(r.count == s.count && r.count >= 4, "area \(id): points")
                    #expect(zip(r, s).allSatisfy { $0.x == $1.x && $0.y == $1.y }, "area \(id)")
                }
            }
        }
    }

    @Test func anythingElseIsNoPolygon() throws {
        let t = try TestStore()
        let blob: Data = try t.store.read { db in try Data.fetchOne(db, sql: "SELECT geom FROM areas WHERE kind = 'district' LIMIT 1")! }
        // Every shorter prefix is incomplete, and a point is no polygon.
        for length in 0..<blob.count {
            #expect(blob.prefix(length).withUnsafeBytes { SpatiaLiteBlob.polygons(in: $0) } == nil, "\(length) bytes")
        }
        #expect(SpatiaLiteBlob.point(x: 6.77, y: 51.22).withUnsafeBytes { SpatiaLiteBlob.polygons(in: $0) } == nil)
        // A compressed geometry (SpatiaLite's CompressGeometry) is SpatiaLite's to read: the store reads it through AsGeoJSON.
        let before = try t.store.read { db in try Store.fetchAreaShapes(db) }
        try t.store.write { db in try db.execute(sql: "UPDATE areas SET geom = CompressGeometry(geom) WHERE kind = 'district'") }
        let compressed: Data = try t.store.read { db in try Data.fetchOne(db, sql: "SELECT geom FROM areas WHERE kind = 'district' LIMIT 1")! }
        #expect(compressed != blob)
        #expect(compressed.withUnsafeBytes { SpatiaLiteBlob.polygons(in: $0) } == nil)
        let after = try t.store.read { db in try Store.fetchAreaShapes(db) }
        try #require(after.count == before.count)
        for (a, b) in zip(after, before) {
            #expect(a.area.id == b.area.id)
            let positions = (a.shape.polygons.flatMap(\.exterior.positions), b.shape.polygons.flatMap(\.exterior.positions))
            #expect(positions.0.count == positions.1.count)
            // AsGeoJSON writes 15 decimals; a compressed ring keeps its inner points as float offsets.
            #expect(zip(positions.0, positions.1).allSatisfy { abs($0.lon - $1.lon) < 1e-6 && abs($0.lat - $1.lat) < 1e-6 })
        }
    }
}
