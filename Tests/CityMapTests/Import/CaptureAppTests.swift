import Foundation
import Testing
@testable import CityMap

/// Files as field apps write them (Tests/Fixtures/apps): OsmAnd, OruxMaps and Locus GPX with their extensions,
/// CDATA text, pauses, routes, and waypoints without a time or a name.
@Suite("Capture apps' exports as they are")
struct CaptureAppTests {
    static let apps = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/apps")

    static func categoryMap(_ json: String, in t: TestStore) throws -> CategoryMap {
        let url = URL(fileURLWithPath: t.folder.path("map.json"))
        try Data(json.utf8).write(to: url)
        return try CategoryMap(contentsOf: url, taxonomy: try t.store.taxonomy())
    }

    /// OsmAnd: a walk with a pause (two trkseg) is a MultiLineString of the walked length, not a line across the
    /// gap; a waypoint without a time takes the nearest track point's; a one-point track is skipped with a warning.
    /// Lengths from pyproj 3.7.2 (PROJ 9.5.1), EPSG:4326 → EPSG:25832: 57.35 m + 68.08 m = 125.43 m walked; the
    /// six points as one line measure 238.85 m.
    @Test func aWalkWithAPauseIsMeasuredAsWalked() throws {
        let t = try TestStore()
        let summary = try t.store.importReports(from: Self.apps.appendingPathComponent("osmand-walk-with-pause.gpx"))
        #expect(summary.imported == 2 && summary.walksAdded == 1)
        #expect(summary.warnings == ["track 2 (line 63) has 1 track point; a walk needs at least 2, so it is skipped"])
        let walks = try t.store.walks()
        try #require(walks.count == 1)
        #expect(abs(walks[0].length.value - 125.43) < 0.5)
        #expect(walks[0].reportCount == 2)
        let geometry = try t.store.read { db in try String.fetchOne(db, sql: "SELECT AsText(geom) FROM walks") }
        #expect(geometry == "MULTILINESTRING((6.7712 51.2274, 6.7715 51.2276, 6.7718 51.22775), (6.7729 51.227, 6.7732 51.2272, 6.7734 51.227513))")
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        #expect(reports[0].category.description == "cleanliness/litter" && reports[0].description == "Scherben an der Treppe")
        #expect(reports[0].observedAt == Timestamp.parse("2026-11-27T09:03:10Z"))
        // "Schild fehlt" has no <time>: the nearest track point (51.2272, 6.7732) was passed at 09:22.
        #expect(reports[1].category.description == "orientation/missing-sign")
        #expect(reports[1].observedAt == Timestamp.parse("2026-11-27T09:22:00Z"))
    }

    /// OruxMaps: names and descriptions in CDATA are read; a waypoint with neither name nor type is covered by the
    /// category map's `*`, as is OruxMaps' generic type "Waypoint".
    @Test func oruxMapsCDATAAndAWaypointWithoutAName() throws {
        let t = try TestStore()
        var options = ImportOptions()
        options.categoryMap = try Self.categoryMap(#"{"*": "cleanliness/graffiti"}"#, in: t)
        let summary = try t.store.importReports(from: Self.apps.appendingPathComponent("oruxmaps-cdata.gpx"), options: options)
        #expect(summary.imported == 2 && summary.walksAdded == 1 && summary.warnings.isEmpty)
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        #expect(reports[0].description == "Tag an der Hauswand, ca. 2 m² & frisch")
        #expect(reports.allSatisfy { $0.category.description == "cleanliness/graffiti" })
        #expect(try t.store.walks().first?.name == "Rundgang Carlstadt")
    }

    /// Without a `*` entry, a waypoint without any category is refused, and the message says what would cover it.
    @Test func aWaypointWithoutACategoryNamesTheRemedy() throws {
        let t = try TestStore()
        var options = ImportOptions()
        options.categoryMap = try Self.categoryMap(#"{"Waypoint": "cleanliness/graffiti"}"#, in: t)
        #expect { try t.store.importReports(from: Self.apps.appendingPathComponent("oruxmaps-cdata.gpx"), options: options) } throws: { error in
            guard let failure = error as? ImportFailure else { return false }
            return failure.problems == ["waypoint 2 (line 24), field 'category': is missing (a category map's \"*\" entry would cover it)"]
        }
        #expect(try t.count() == 0)
    }

    /// Locus: a route is a planned walk (no reports linked, no times); a German label in <type> is the category.
    @Test func aRouteIsAPlannedWalk() throws {
        let t = try TestStore()
        let summary = try t.store.importReports(from: Self.apps.appendingPathComponent("locus-route-and-points.gpx"))
        #expect(summary.imported == 1 && summary.walksAdded == 1)
        let walks = try t.store.walks()
        try #require(walks.count == 1)
        #expect(walks[0].planned && walks[0].name == "Quartierrundgang Stadtmitte (geplant)" && walks[0].startedAt == nil)
        #expect(walks[0].reportCount == 0)
        let report = try #require(try t.store.reports().first)
        #expect(report.category.description == "vacancy/vacant-shop" && report.description == "Schaufenster abgeklebt, Aushang \"zu vermieten\"")
        #expect(report.observedAt == Timestamp.parse("2026-11-27T14:02:11Z")) // times are stored to the second
    }

    /// A waypoint far from any timed track point, in a file without tracks, takes --observed-at.
    @Test func observedAtGivesATimeToRecordsWithout() throws {
        let t = try TestStore()
        let gpx = t.folder.path("points.gpx")
        try Data("""
            <?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
            <wpt lat="51.2275" lon="6.7711"><name>Hundekot</name></wpt></gpx>
            """.utf8).write(to: URL(fileURLWithPath: gpx))
        #expect { try t.store.importReports(from: URL(fileURLWithPath: gpx)) } throws: { error in
            (error as? ImportFailure)?.problems.first?.contains("field 'time': is missing") == true
        }
        var options = ImportOptions()
        options.observedAt = Timestamp.parse("2026-11-27T10:00+01:00")
        #expect(try t.store.importReports(from: URL(fileURLWithPath: gpx), options: options).imported == 1)
        #expect(try t.store.reports().first?.observedAt == Timestamp.parse("2026-11-27T10:00+01:00"))
        #expect(try t.store.reports().first?.category.description == "cleanliness/dog-fouling")
    }
}
