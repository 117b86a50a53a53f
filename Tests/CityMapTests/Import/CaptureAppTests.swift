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

/// CSVs as KoBoToolbox, ODK Central and QGIS export them, and GeoJSON with a `crs` member.
@Suite("Capture apps' CSV and projected exports")
struct CaptureAppCSVTests {
    static func file(_ name: String) -> URL { CaptureAppTests.apps.appendingPathComponent(name) }

    /// A KoBo submission exported twice, once with group prefixes and `;`, once without and with `,`, is one report:
    /// `_uuid` is its id. The geopoint's `_…_latitude` columns give the position, `_…_precision` the accuracy,
    /// `start` the observation time; `_submission_time` (UTC, no offset) only where `start` is empty. KoBo's
    /// `_status` ("submitted_via_web") is not the report's status.
    @Test func koboWithAndWithoutGroupsIsOneReport() throws {
        let t = try TestStore()
        let grouped = try t.store.importReports(from: Self.file("kobo-groups-semicolon.csv"))
        #expect(grouped.imported == 1)
        let plain = try t.store.importReports(from: Self.file("kobo-plain-comma.csv"))
        #expect(plain.imported == 1 && plain.alreadyPresent == 1)
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        let first = reports[0]
        #expect(first.externalID == "3f0b8a0e-5d0c-4b8e-9a51-0d7b1c2f6a11")
        #expect(first.position.lat == 51.2275 && first.position.lon == 6.7711 && first.accuracy?.value == 4.8)
        #expect(first.category.description == "cleanliness/dog-fouling" && first.severity == .high && first.status == .open)
        #expect(first.observedAt == Timestamp.parse("2026-11-27T10:12:40+01:00"))
        #expect(first.square?.name == "Burgplatz")
        // No start: _submission_time 13:40:55 is UTC, 14:40:55 in Düsseldorf.
        #expect(reports[1].observedAt == Timestamp.parse("2026-11-27T14:40:55+01:00"))
        #expect(reports[1].category.description == "cleanliness/graffiti" && reports[1].description == "Schriftzug am Stromkasten, frisch")
    }

    /// ODK Central: `ort-standort-Latitude` and its group prefix, `meta-instanceID` as the id, the form's `start` as
    /// the time and `SubmissionDate` where start is empty; choice names like "fehlende-beschilderung" and German
    /// labels like "Angstraum" are categories.
    @Test func odkCentral() throws {
        let t = try TestStore()
        let summary = try t.store.importReports(from: Self.file("odk-central.csv"))
        #expect(summary.imported == 2)
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        #expect(reports[0].externalID == "uuid:9a1c3e5f-7b9d-4f1a-8c3e-5f7a9b1c3d5e")
        #expect(reports[0].category.description == "orientation/missing-sign" && reports[0].accuracy?.value == 7.9)
        #expect(reports[0].observedAt == Timestamp.parse("2026-11-27T10:29:47+01:00"))
        #expect(reports[1].category.description == "safety/unsafe-place")
        #expect(reports[1].observedAt == Timestamp.parse("2026-11-27T10:02:44Z"))
        #expect(reports[1].position.lat == 51.2221 && reports[1].district?.code == "ost")
    }

    /// QGIS: a WKT column and GDAL's date form; X/Y in EPSG:25832 with --crs; GeoJSON naming EPSG:25832 in `crs`.
    /// The metres are pyproj 3.7.2's EPSG:4326 → EPSG:25832 of Burgplatz (6.7711, 51.2275) and Konrad-Adenauer-Platz
    /// (6.7924, 51.2221), rounded to the centimetre; back in degrees they must agree to 1e-6° (about 0.1 m).
    @Test func qgisWKTAndProjectedFiles() throws {
        let expected = [(51.2275, 6.7711, "cleanliness/litter"), (51.2221, 6.7924, "square-quality/seating")]
        for (name, crs) in [("qgis-wkt.csv", nil), ("qgis-xy-25832.csv", "EPSG:25832"), ("qgis-25832.geojson", nil)] as [(String, String?)] {
            let t = try TestStore()
            var options = ImportOptions()
            options.crs = crs
            #expect(try t.store.importReports(from: Self.file(name), options: options).imported == 2, "\(name)")
            let reports = try t.store.reports().sorted { $0.id < $1.id }
            try #require(reports.count == expected.count, "\(name)")
            for (report, (lat, lon, category)) in zip(reports, expected) {
                #expect(abs(report.position.lat - lat) < 1e-6 && abs(report.position.lon - lon) < 1e-6, "\(name)")
                #expect(report.category.description == category, "\(name)")
            }
            #expect(reports[0].observedAt == Timestamp.parse("2026-11-27T11:02:00+01:00"), "\(name)")
        }
    }

    /// Metres without --crs are named as such, not as swapped degrees; nothing is imported.
    @Test func metresWithoutACRSAreNamed() throws {
        let t = try TestStore()
        #expect { try t.store.importReports(from: Self.file("qgis-xy-25832.csv")) } throws: { error in
            (error as? ImportFailure)?.problems.first == "line 2, field 'lat': x 344373.5, y 5677484.79 look like metres of a projected CRS, not degrees; name it with --crs (EPSG:25832 is UTM 32N, as NRW's data and QGIS projects use it)"
        }
        #expect(try t.count() == 0)
    }

    /// KoBo's JSON-like `_geolocation` alone gives the position; a WKT point may carry a height (QGIS "POINT Z").
    @Test func koboGeolocationAndAWKTPointWithHeight() throws {
        let t = try TestStore()
        let kobo = URL(fileURLWithPath: t.folder.path("kobo.csv"))
        try Data("_uuid;kategorie;_geolocation;_submission_time\r\nab12;graffiti;[51.2275, 6.7711];2026-11-27T09:00:00\r\n".utf8).write(to: kobo)
        #expect(try t.store.importReports(from: kobo).imported == 1)
        let wkt = URL(fileURLWithPath: t.folder.path("wkt.csv"))
        try Data("WKT,kategorie,zeit\r\n\"POINT Z (6.7924 51.2221 38.5)\",Angstraum,2026-11-27 10:00\r\n".utf8).write(to: wkt)
        #expect(try t.store.importReports(from: wkt).imported == 1)
        let reports = try t.store.reports().sorted { $0.id < $1.id }
        try #require(reports.count == 2)
        #expect(reports[0].position.lat == 51.2275 && reports[0].position.lon == 6.7711 && reports[0].externalID == "ab12")
        #expect(reports[0].observedAt == Timestamp.parse("2026-11-27T10:00:00+01:00")) // 09:00 UTC
        #expect(reports[1].position.lat == 51.2221 && reports[1].position.lon == 6.7924 && reports[1].category.description == "safety/unsafe-place")
        let bad = URL(fileURLWithPath: t.folder.path("bad.csv"))
        try Data("WKT,kategorie,zeit\r\n\"LINESTRING (1 2, 3 4)\",Angstraum,2026-11-27 10:00\r\n".utf8).write(to: bad)
        #expect { try t.store.importReports(from: bad) } throws: { error in
            (error as? ImportFailure)?.problems.first?.contains("field 'WKT': 'LINESTRING (1 2, 3 4)' is not a WKT point") == true
        }
    }

    /// Any other CSV: --columns names the columns, and a wrong name lists the file's columns.
    @Test func columnsMapsAnyCSV() throws {
        let t = try TestStore()
        let csv = URL(fileURLWithPath: t.folder.path("liste.csv"))
        try Data("Vorgang;Breite_WGS;Laenge_WGS;Art;Meldezeit\r\nA-17;51,2275;6,7711;Hundekot;27.11.2026 10:00\r\n".utf8).write(to: csv)
        var options = ImportOptions()
        options.columns = try ColumnMapping(parsing: "lat=Breite_WGS,lon=Laenge_WGS,category=Art,id=Vorgang")
        options.observedAt = Timestamp.parse("2026-11-27T10:00+01:00")
        #expect(try t.store.importReports(from: csv, options: options).imported == 1)
        let report = try #require(try t.store.reports().first)
        #expect(report.externalID == "A-17" && report.position.lat == 51.2275 && report.category.description == "cleanliness/dog-fouling")
        options.columns = try ColumnMapping(parsing: "lat=Breite,lon=Laenge_WGS")
        #expect { try t.store.importReports(from: csv, options: options) } throws: { error in
            "\(error)".contains("has no column 'Breite' (given for lat in --columns); the columns are: Vorgang, Breite_WGS, Laenge_WGS, Art, Meldezeit")
        }
        #expect { try ColumnMapping(parsing: "breite=Y") } throws: { ($0 as? DomainError)?.parameter == "columns" }
    }
}
