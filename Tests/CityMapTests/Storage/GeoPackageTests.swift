import Foundation
import GRDB
import Testing
@testable import CityMap

/// GeoPackage in and out, checked by GDAL (ogr2ogr and ogrinfo, as QGIS reads and writes the format).
@Suite("GeoPackage for QGIS and QField")
struct GeoPackageTests {
    static let gdal = FileManager.default.isExecutableFile(atPath: ViewerExportTests.ogr2ogr)

    /// QGIS and QField write GeoPackages through GDAL: a point layer in EPSG:25832 made by ogr2ogr from the QGIS
    /// fixture is read, its SRS found in gpkg_spatial_ref_sys and transformed back to the positions pyproj gave.
    @Test(.enabled(if: gdal, "ogr2ogr (gdal-bin) is not installed"))
    func aProjectedGeoPackageFromGDALIsRead() throws {
        let t = try TestStore()
        let gpkg = t.folder.path("meldungen.gpkg")
        let made = try ViewerExportTests.run(ViewerExportTests.ogr2ogr, ["-f", "GPKG", gpkg,
                                                                         CaptureAppCSVTests.file("qgis-25832.geojson").path, "-nln", "meldungen"])
        try #require(made.status == 0, "\(made.output)")
        let summary = try t.store.importReports(from: URL(fileURLWithPath: gpkg))
        #expect(summary.format == .gpkg && summary.imported == 2)
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        #expect(abs(reports[0].position.lat - 51.2275) < 1e-6 && abs(reports[0].position.lon - 6.7711) < 1e-6)
        #expect(abs(reports[1].position.lat - 51.2221) < 1e-6 && abs(reports[1].position.lon - 6.7924) < 1e-6)
        #expect(reports[1].category.description == "square-quality/seating")
        #expect(reports[0].externalID == "1" || reports[0].externalID == "meldungen/1")
        // Again: nothing new.
        #expect(try t.store.importReports(from: URL(fileURLWithPath: gpkg)).alreadyPresent == 2)
    }

    /// `export gpkg` writes three layers ogrinfo reads, with the public profile's properties (no reporter), and
    /// the reports come back unchanged when the file is imported into a new database.
    @Test(.enabled(if: gdal, "ogrinfo (gdal-bin) is not installed"))
    func theExportIsAGeoPackageGDALReadsAndItRoundTrips() throws {
        let t = try TestStore()
        try t.store.importReports(from: CaptureAppTests.apps.appendingPathComponent("osmand-walk-with-pause.gpx"))
        try t.log(lat: Places.konradAdenauerPlatz.lat, lon: Places.konradAdenauerPlatz.lon, "safety/unsafe-place",
                  note: "Anruf von 0211 1234567")
        let url = URL(fileURLWithPath: t.folder.path("out.gpkg"))
        let written = try t.store.exportGeoPackage(to: url, options: ExportOptions())
        #expect(written.reports == 3 && written.walks == 1 && written.areas == 9)
        let info = try ViewerExportTests.run(ViewerExportTests.ogrinfo, ["-so", "-al", url.path])
        #expect(info.status == 0, "\(info.output)")
        for (layer, geometry, count) in [("reports", "Point", 3), ("walks", "Multi Line String", 1), ("areas", "Multi Polygon", 9)] {
            let block = info.output.components(separatedBy: "Layer name: \(layer)").dropFirst().first ?? ""
            #expect(block.contains("Geometry: \(geometry)") && block.contains("Feature Count: \(count)"), "\(layer): \(block.prefix(300))")
        }
        #expect(!info.output.contains("reporter") && !info.output.contains("external_id"))
        let text = try ViewerExportTests.run(ViewerExportTests.ogrinfo, ["-q", url.path, "-sql", "SELECT description FROM reports"])
        #expect(text.output.contains("Anruf von [redacted]") && !text.output.contains("1234567"))

        let again = try TestStore()
        #expect(try again.store.importReports(from: url).imported == 3)
        let before = try t.store.reports().sorted { $0.observedAt < $1.observedAt }
        let after = try again.store.reports().sorted { $0.observedAt < $1.observedAt }
        try #require(before.count == after.count)
        for (a, b) in zip(before, after) {
            #expect(a.position == b.position && a.category == b.category && a.observedAt == b.observedAt)
        }
        // A walk of two segments stays two segments.
        let walk = try ViewerExportTests.run(ViewerExportTests.ogrinfo, ["-q", url.path, "-sql", "SELECT ST_NumGeometries(geom) AS n FROM walks", "-dialect", "SQLite"])
        #expect(walk.output.contains("n (Integer) = 2"), "\(walk.output)")
    }

    @Test func aGeoPackageWithoutPointsOrNotOneAtAllIsNamed() throws {
        let t = try TestStore()
        let url = URL(fileURLWithPath: t.folder.path("walks.gpkg"))
        try t.store.importReports(from: CaptureAppTests.apps.appendingPathComponent("osmand-walk-with-pause.gpx"))
        try t.store.exportGeoPackage(to: url, options: ExportOptions())
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in try db.execute(sql: "DELETE FROM gpkg_geometry_columns WHERE table_name = 'reports'") }
        try queue.close()
        #expect { try t.store.importReports(from: url) } throws: { "\($0)".contains("has no point layer") }
        let plain = URL(fileURLWithPath: t.folder.path("plain.gpkg"))
        let other = try DatabaseQueue(path: plain.path)
        try other.write { db in try db.execute(sql: "CREATE TABLE x (a)") }
        try other.close()
        #expect { try t.store.importReports(from: plain) } throws: { "\($0)".contains("not a readable GeoPackage") || "\($0)".contains("has no point layer") }
    }
}
