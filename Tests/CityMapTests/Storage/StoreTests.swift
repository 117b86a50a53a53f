import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("The SpatiaLite report store")
struct StoreTests {
    @Test func burgplatzFallsInInnenstadtWestAndOnBurgplatz() throws {
        let t = try TestStore()
        let report = try t.log(lat: Places.burgplatz.lat, lon: Places.burgplatz.lon).report
        #expect(report.district?.name == "Innenstadt West")
        #expect(report.square?.name == "Burgplatz")
    }

    @Test func konradAdenauerPlatzFallsInInnenstadtOst() throws {
        let t = try TestStore()
        let report = try t.log(lat: Places.konradAdenauerPlatz.lat, lon: Places.konradAdenauerPlatz.lon).report
        #expect(report.district?.name == "Innenstadt Ost")
        #expect(report.square?.name == "Konrad-Adenauer-Platz")
    }

    @Test func pempelfortGetsNoDistrict() throws {
        let t = try TestStore()
        let logged = try t.log(lat: Places.pempelfort.lat, lon: Places.pempelfort.lon)
        #expect(logged.report.district == nil)
        #expect(logged.report.square == nil)
        #expect(logged.isOutsideDistricts)
    }

    @Test func storedProjectionMatchesPyproj() throws {
        let t = try TestStore()
        let report = try t.log(lat: 51.2275, lon: 6.7711111).report
        // pyproj 3.7.2: E 344374.28, N 5677484.77
        #expect(abs(report.projected.x - 344374.28) < 0.01)
        #expect(abs(report.projected.y - 5677484.77) < 0.01)
        let stored = try t.store.read { db in try Row.fetchOne(db, sql: "SELECT x, y, ST_SRID(geom) AS srid FROM reports")! }
        #expect(abs((stored["x"] as Double) - 344374.28) < 0.01)
        #expect(stored["srid"] as Int == 4326)
    }

    @Test func fieldsRoundTrip() throws {
        let t = try TestStore()
        let new = NewReport(position: try Coordinate(lon: 6.7711, lat: 51.2275),
                            category: CategoryCode(category: "safety", subcategory: "poor-lighting"), severity: .high,
                            description: "Lampe defekt – Durchgang dunkel", observedAt: try #require(Timestamp.parse("2026-11-27T18:40+01:00")),
                            reporter: "Anna K.", source: "consultation-hours", externalID: "S-17", accuracy: Meters(8))
        let id = try t.store.log(new).report.id
        let r = try t.store.report(id: id)
        #expect(r.category.description == "safety/poor-lighting")
        #expect(r.severity == .high && r.status == .open)
        #expect(r.description == "Lampe defekt – Durchgang dunkel")
        #expect(Timestamp.utc(r.observedAt) == "2026-11-27T17:40:00Z")
        #expect(r.reporter == "Anna K." && r.source == "consultation-hours" && r.externalID == "S-17")
        #expect(r.accuracy == Meters(8))
        let stored = try t.store.read { db in try String.fetchOne(db, sql: "SELECT observed_at FROM reports") }
        #expect(stored == "2026-11-27T17:40:00Z", "stored as UTC")
    }

    @Test func externalIDIsUniquePerSource() throws {
        let t = try TestStore()
        var new = NewReport(position: try Coordinate(lon: 6.7711, lat: 51.2275), category: CategoryCode(category: "cleanliness", subcategory: "litter"),
                            observedAt: Date(), source: "open311", externalID: "A-1")
        try t.store.log(new)
        #expect(throws: StorageError.self) { try t.store.log(new) }
        new.source = "other"
        try t.store.log(new)
        #expect(try t.count() == 2)
    }

    @Test func unknownCategoryIsRefusedAndNothingWritten() throws {
        let t = try TestStore()
        #expect(throws: DomainError.self) { try t.log(lat: 51.2275, lon: 6.7711, "cleanliness/unicorns") }
        #expect(throws: DomainError.self) { try t.log(lat: 51.2275, lon: 6.7711, "weather/rain") }
        #expect(try t.count() == 0)
        #expect(try t.count("SELECT COUNT(*) FROM report_events") == 0)
    }

    @Test func likelyDuplicateIsAnOpenReportOfTheSameCategoryWithin25m() throws {
        let t = try TestStore()
        let first = try t.log(lat: 51.22750, lon: 6.77110).report
        let graffiti = try t.log(lat: 51.22750, lon: 6.77110, "cleanliness/graffiti").report
        let far = try t.log(lat: 51.22750, lon: 6.77160)           // ≈ 35 m east of the first
        #expect(far.likelyDuplicates.isEmpty)
        let near = try t.log(lat: 51.22760, lon: 6.77110)          // ≈ 11 m north of the first
        #expect(near.likelyDuplicates.map(\.report.id) == [first.id], "not the graffiti #\(graffiti.id), not the one 35 m away")
        let distance = try #require(near.likelyDuplicates.first?.distance.value)
        #expect(distance > 11 && distance < 11.3)

        try t.store.changeStatus(of: first.id, to: .rejected, note: "already cleaned")
        let again = try t.log(lat: 51.22750, lon: 6.77110)
        #expect(again.likelyDuplicates.map(\.report.id) == [near.report.id], "closed reports are no longer candidates")
    }

    @Test func listFiltersByDistrictCategoryStatusAndTime() throws {
        let t = try TestStore()
        let west = try t.log(lat: 51.2275, lon: 6.7711, at: "2026-11-02T09:00+01:00").report
        let ost = try t.log(lat: 51.2221, lon: 6.7924, "safety/poor-lighting", at: "2026-11-15T19:00+01:00").report
        let outside = try t.log(lat: 51.2360, lon: 6.7900, at: "2026-12-01T08:00+01:00").report
        try t.store.changeStatus(of: ost.id, to: .acknowledged)
        func ids(_ build: (inout ReportFilter) -> Void) throws -> [Int64] {
            var f = ReportFilter()
            build(&f)
            return try t.store.reports(matching: f).map(\.id)
        }
        #expect(try ids { _ in } == [west.id, ost.id, outside.id])
        #expect(try ids { $0.districts = ["west"] } == [west.id])
        #expect(try ids { $0.districts = ["Innenstadt Ost"] } == [ost.id])
        #expect(try ids { $0.districts = ["none"] } == [outside.id])
        #expect(try ids { $0.categories = ["safety"] } == [ost.id])
        #expect(try ids { $0.categories = ["cleanliness/litter"] } == [west.id, outside.id])
        #expect(try ids { $0.statuses = [.acknowledged] } == [ost.id])
        #expect(try ids { $0.since = Timestamp.parse("2026-11-10"); $0.until = Timestamp.parseEnd("2026-11-30") } == [ost.id])
        #expect(throws: DomainError.self) { try ids { $0.districts = ["Pempelfort"] } }
        #expect(throws: DomainError.self) { try ids { $0.categories = ["weather"] } }
    }

    @Test func nearAndBoundingBoxGoThroughTheSpatialIndex() throws {
        let t = try TestStore()
        let a = try t.log(lat: 51.22750, lon: 6.77110).report
        let b = try t.log(lat: 51.22830, lon: 6.77110).report      // ≈ 89 m north
        _ = try t.log(lat: 51.22900, lon: 6.77110)                  // ≈ 167 m north
        var f = ReportFilter()
        f.near = (try Coordinate(lon: 6.77110, lat: 51.22750), Meters(100))
        #expect(try t.store.reports(matching: f).map(\.id) == [a.id, b.id])
        f.near = nil
        f.bbox = try BoundingBox(west: 6.770, south: 51.2270, east: 6.772, north: 51.2280)
        #expect(try t.store.reports(matching: f).map(\.id) == [a.id])
        // The index is real and in step with the table (SpatiaLite's own check).
        #expect(try t.store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('reports', 'geom')") } == 1)
        // and the query reads the R*Tree.
        let plan = try t.store.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT id FROM reports r WHERE r.ROWID IN (SELECT ROWID FROM SpatialIndex
                WHERE f_table_name = 'reports' AND f_geometry_column = 'geom' AND search_frame = BuildMbr(6.77, 51.22, 6.78, 51.23, 4326))
                """).map { $0["detail"] as String }.joined(separator: "; ")
        }
        #expect(plan.contains("SpatialIndex"))
    }

    @Test func schemaIsVisibleAsSpatiaLiteLayers() throws {
        let t = try TestStore()
        let layers = try t.store.read { db in
            try Row.fetchAll(db, sql: "SELECT f_table_name, geometry_type, srid, spatial_index_enabled FROM geometry_columns ORDER BY 1")
                .map { "\($0["f_table_name"] as String):\($0["geometry_type"] as Int):\($0["srid"] as Int):\($0["spatial_index_enabled"] as Int)" }
        }
        // SpatiaLite geometry type codes: 6 = MULTIPOLYGON, 1 = POINT, 5 = MULTILINESTRING (walks with pauses, v6).
        #expect(layers == ["areas:6:4326:1", "reports:1:4326:1", "walks:5:4326:1"])
        #expect(try t.store.read { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialMetaData()") } == 3)
    }

    @Test func initTwiceChangesNothing() throws {
        let t = try TestStore()
        let again = try t.store.setUpFromShippedGeoData()
        #expect(again.changedNothing)
        #expect(try t.count("SELECT COUNT(*) FROM areas") == 9)
    }

    @Test func aFolderThatDoesNotExistIsNamed() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("missing/citymap.sqlite")
        #expect(throws: StorageError.self) { try Store(path: path, mode: .create) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing")))
    }

    @Test func otherCommandsNeedAnExistingDatabase() throws {
        let folder = try TemporaryFolder()
        #expect(throws: StorageError.self) { try Store(path: folder.path("nope.sqlite"), mode: .existing) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("nope.sqlite")))
    }
}
