import Foundation
import GRDB
import Testing
@testable import CityMap

/// A lean store (`Store(preload: [])`, what `citymap export reports` opens) loads SpatiaLite and PROJ only when a read
/// or write needs them. Whatever it is asked, it must answer as a store that loaded them at once.
@Suite("Lean store: SpatiaLite and PROJ on demand")
struct LeanStoreTests {
    static func export(_ store: Store, _ edit: (inout ExportOptions) -> Void = { _ in }) throws -> String {
        var options = ExportOptions()
        edit(&options)
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("out.geojson")
        try AtomicFile.write(to: url) { try store.exportReports(options, to: $0) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func exportsAndEverythingAfterThemAreAsFromAFullStore() throws {
        let t = try TestStore()
        for (i, place) in [Places.burgplatz, Places.konradAdenauerPlatz, Places.pempelfort].enumerated() {
            try t.log(lat: place.lat, lon: place.lon, at: "2026-11-2\(i)T10:00:00+01:00", note: "Nr. \(i)")
        }
        let full = try Store(path: t.path)
        let lean = try Store(path: t.path, preload: [])
        // Plain, in a box (SpatiaLite's ST_X), near a place (PROJ): each the same bytes, and not empty.
        let filters: [(String, (inout ExportOptions) -> Void)] = [
            ("plain", { _ in }),
            ("box", { $0.filter.bbox = try! BoundingBox(west: 6.76, south: 51.22, east: 6.78, north: 51.23) }),
            ("near", { $0.filter.near = (Coordinate(trustedLon: Places.burgplatz.lon, lat: Places.burgplatz.lat), Meters(200)) }),
        ]
        for (name, edit) in filters {
            let expected = try Self.export(full, edit)
            #expect(expected.contains("\"Feature\""), "\(name)")
            #expect(try Self.export(lean, edit) == expected, "\(name)")
        }
        // A write after a plain export loads SpatiaLite (its triggers keep the spatial index): the report is found.
        let code = try lean.taxonomy().resolve("cleanliness/litter")
        let logged = try lean.log(NewReport(position: try Coordinate(lon: 6.7712, lat: 51.2276), category: code,
                                            observedAt: try #require(Timestamp.parse("2026-11-27T11:00:00+01:00"))))
        #expect(logged.report.square?.name == "Burgplatz")
        #expect(try lean.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('reports', 'geom')") } == 1)
        #expect(try t.count() == 4)
    }

    /// A file with migrations to run loads SpatiaLite before them, lean or not.
    @Test func aLeanStoreUpgradesAnOldFile() throws {
        let (folder, path) = try MigrationTests.copy()
        let lean = try Store(path: path, preload: [])
        #expect(try lean.read { db in try Migrations.migrator.hasCompletedMigrations(db) })
        #expect(try Self.export(lean).contains("\"Feature\""))
        _ = folder
    }
}
