import Foundation
import GRDB
import Testing
@testable import CityMap

/// Imports against the real reference data in ../shared/data and against small files written here.
@Suite("Importing CSV, GeoJSON, GPX and Open311")
struct ImportTests {
    static let koelnMap = """
        {"categories": {"010": "cleanliness/illegal-dumping", "011": "cleanliness/illegal-dumping", "013": "safety/poor-lighting",
                        "016": "orientation/blocked-path", "017": "orientation/damaged-sign", "019": "cleanliness/overflowing-bin"}}
        """

    func write(_ text: String, _ name: String, in folder: TemporaryFolder) throws -> URL {
        let url = folder.url.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func options(_ t: TestStore, map: String? = nil, _ edit: (inout ImportOptions) -> Void = { _ in }) throws -> ImportOptions {
        var o = ImportOptions()
        if let map {
            let url = try write(map, "map-\(UUID().uuidString).json", in: t.folder)
            o.categoryMap = try CategoryMap(contentsOf: url, taxonomy: t.store.taxonomy())
        }
        edit(&o)
        return o
    }

    @Test(.enabled(if: SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json") != nil, "../shared/data/incidents/koeln_sagsuns_open311_2016-02.json is absent"))
    func koelnOpen311ImportsFiftyReportsOnceWithTimesStatusesAndIds() throws {
        let koeln = try #require(SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json"))
        let t = try TestStore()
        // Köln lies outside the database's Düsseldorf extent: this import names its own.
        let o = try options(t, map: Self.koelnMap) { $0.extent = try? BoundingBox(parsing: "6.7,50.8,7.2,51.4") }
        let first = try t.store.importReports(from: koeln, options: o)
        #expect(first.format == .open311JSON)
        #expect(first.imported == 50 && first.alreadyPresent == 0 && first.skipped == 0)
        let again = try t.store.importReports(from: koeln, options: o)
        #expect(again.imported == 0 && again.alreadyPresent == 50)
        #expect(try t.count() == 50)
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE status = 'open'") == 35)
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE status = 'resolved'") == 15)
        let a1627 = try t.store.read { db in try Row.fetchOne(db, sql: "SELECT * FROM reports WHERE external_id = 'A-1627'")! }
        #expect(a1627["observed_at"] as String == "2016-02-16T20:26:17Z")     // 21:26:17+01:00
        #expect(a1627["source"] as String == "open311")
        #expect(a1627["category"] as String == "orientation" && a1627["subcategory"] as String == "damaged-sign") // 017 Ampel defekt
        #expect(a1627["address"] as String == "Schillerstr. 1, 50858 Köln - Weiden")
    }

    @Test(.enabled(if: SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json") != nil, "../shared/data/incidents/koeln_sagsuns_open311_2016-02.json is absent"))
    func unmappedCategoriesAreListedTogether() throws {
        let koeln = try #require(SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json"))
        let t = try TestStore()
        #expect {
            try t.store.importReports(from: koeln)
        } throws: { error in
            let text = "\(error)"
            return text.contains("6 categories have no mapping") && text.contains("'Schrottfahrzeuge/Fahrräder' (15)")
                && text.contains("'Altkleidercontainer' (3)")
        }
        #expect(try t.count() == 0)
    }

    @Test(.enabled(if: SharedData.file("open311/fixtures/sf_open311_requests_2012_noncompliant.xml") != nil, "../shared/data/open311/fixtures/sf_open311_requests_2012_noncompliant.xml is absent"))
    func sanFranciscoNonCompliantXMLSaysExactlyWhatIsWrong() throws {
        let sf = try #require(SharedData.file("open311/fixtures/sf_open311_requests_2012_noncompliant.xml"))
        let t = try TestStore()
        #expect {
            try t.store.importReports(from: sf, options: try options(t, map: "{\"*\": \"cleanliness/litter\"}"))
        } throws: { error in
            guard let failure = error as? ImportFailure else { return false }
            return failure.total == 56
                && failure.problems[0] == "request 1 (line 2), field 'status': 'Open' is not an Open311 status: GeoReport v2 allows only 'open' and 'closed', in lower case; map it with a \"statuses\" entry in --category-map"
        }
        #expect(try t.count() == 0)
    }

    /// The database's extent is Düsseldorf: 50 Köln reports are refused together, with where they lie; after
    /// `init --extent` (a setting in the file) they are imported.
    @Test(.enabled(if: SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json") != nil, "../shared/data/incidents/koeln_sagsuns_open311_2016-02.json is absent"))
    func aFileEntirelyElsewhereIsRefusedWithWhereItLies() throws {
        let koeln = try #require(SharedData.file("incidents/koeln_sagsuns_open311_2016-02.json"))
        let t = try TestStore()
        #expect(try t.store.extent() == .duesseldorf)
        let o = try options(t, map: Self.koelnMap)
        #expect { try t.store.importReports(from: koeln, options: o) } throws: { error in
            "\(error)".contains("has all its 50 positions outside the city extent 6.6886,51.1243,6.9399,51.3526: they lie within 6.834545,50.863915,7.100631,51.049993, about 33 km south of the city; nothing was imported")
        }
        #expect(try t.count() == 0)
        try t.store.setExtent(try BoundingBox(parsing: "6.7,50.8,7.2,51.4"))
        #expect(try t.store.importReports(from: koeln, options: o).imported == 50)
    }

    /// The Stadtteile of OpenStreetMap all lie inside the shipped Düsseldorf extent (shapely's bounds of their union).
    @Test(.enabled(if: SharedData.stadtteile != nil, "../shared/data/boundaries is absent"))
    func theDuesseldorfExtentHoldsEveryStadtteil() throws {
        let url = try #require(SharedData.stadtteile)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let features = try #require(object?["features"] as? [[String: Any]])
        try #require(features.count == 50)
        // shapely 2.2.0: unary_union(shapes).bounds == (6.68869, 51.124373, 6.939885, 51.352532)
        let extent = BoundingBox.duesseldorf
        #expect(extent.west <= 6.68869 && extent.south <= 51.124373 && extent.east >= 6.939885 && extent.north >= 51.352532)
        #expect(6.68869 - extent.west < 1e-3 && extent.north - 51.352532 < 1e-3)
    }

    /// San Francisco's server writes "Open"/"Closed" and times without an offset: a statuses map and --time-zone
    /// read it; a closed request is resolved at its updated_datetime, so response times are the server's.
    @Test(.enabled(if: SharedData.file("open311/fixtures/sf_open311_requests_2012_noncompliant.xml") != nil, "../shared/data/open311/fixtures/sf_open311_requests_2012_noncompliant.xml is absent"))
    func sanFranciscoWithAStatusesMapAndItsTimeZone() throws {
        let sf = try #require(SharedData.file("open311/fixtures/sf_open311_requests_2012_noncompliant.xml"))
        let t = try TestStore()
        let o = try options(t, map: #"{"categories": {"*": "cleanliness/litter"}, "statuses": {"Open": "open", "Closed": "resolved"}}"#) {
            $0.timeZone = TimeZone(identifier: "America/Los_Angeles")
            $0.extent = try? BoundingBox(parsing: "-123,37,-122,38")
            $0.skipInvalid = true
        }
        let summary = try t.store.importReports(from: sf, options: o)
        // 56 requests: 9 with lat/long 0.0 are left out.
        #expect(summary.imported == 47 && summary.skipped == 9)
        #expect(summary.rejected.allSatisfy { $0.contains("lat/long 0.0, 0.0 is no position") })
        let closed = try t.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.observed_at, e.at FROM reports r JOIN report_events e ON e.report_id = r.id AND e.kind = 'status'
                WHERE r.status = 'resolved' ORDER BY r.id
                """).map { ($0[0] as String, $0[1] as String) }
        }
        let resolved = try t.count("SELECT COUNT(*) FROM reports WHERE status = 'resolved'")
        #expect(resolved > 0 && closed.count == resolved)
        // Request 2012-05-22 20:17:35.xx (Los Angeles, UTC−7), updated 22:27:21: resolved 2 h 10 min later.
        #expect(closed.contains { $0 == ("2012-05-23T03:17:35Z", "2012-05-23T05:27:21Z") })
    }

    @Test(.enabled(if: SharedData.file("open311/fixtures/chicago_open311_requests_2014.json") != nil
                       && SharedData.file("open311/fixtures/bloomington_open311_requests_2012.json") != nil,
                   "../shared/data/open311/fixtures is absent"))
    func chicagoAndBloomingtonOpen311() throws {
        let chicago = try #require(SharedData.file("open311/fixtures/chicago_open311_requests_2014.json"))
        let bloomington = try #require(SharedData.file("open311/fixtures/bloomington_open311_requests_2012.json"))
        let t = try TestStore()
        let o = try options(t, map: "{\"*\": \"orientation/missing-sign\"}") { $0.outside = .keep }
        let summary = try t.store.importReports(from: chicago, options: o)
        #expect(summary.imported == 2 && summary.outsideKept.count == 2)
        #expect(try t.store.read { db in try String.fetchOne(db, sql: "SELECT observed_at FROM reports WHERE external_id = '14-01100669'") }
                == "2014-07-12T15:58:43Z")
        // Bloomington: 8 of 21 requests have no position.
        #expect {
            try t.store.importReports(from: bloomington, options: o)
        } throws: { error in
            (error as? ImportFailure)?.total == 8 && "\((error as! ImportFailure).problems[0])".contains("field 'lat': is missing")
        }
        var skipping = o
        skipping.skipInvalid = true
        skipping.rejects = t.folder.url.appendingPathComponent("rejects.csv")
        let partial = try t.store.importReports(from: bloomington, options: skipping)
        #expect(partial.imported == 13 && partial.skipped == 8)
        let rejects = try String(contentsOf: try #require(skipping.rejects), encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == 9 && rejects[0] == "location,field,reason")
    }

    @Test(.enabled(if: SharedData.file("incidents/nyc_publicstuff_311_20190522.csv") != nil, "../shared/data/incidents/nyc_publicstuff_311_20190522.csv is absent"))
    func nycCSVImportsWithTheThreeOutliersReportedByLine() throws {
        let nyc = try #require(SharedData.file("incidents/nyc_publicstuff_311_20190522.csv"))
        let t = try TestStore()
        let o = try options(t, map: "{\"categories\": {\"*\": \"cleanliness/litter\"}, \"statuses\": {\"other\": \"open\"}}") {
            $0.outside = .keep
            $0.extent = try! BoundingBox(west: -74.30, south: 40.45, east: -73.65, north: 40.95) // New York City
        }
        let summary = try t.store.importReports(from: nyc, options: o)
        // 8,739 rows: 450 of them repeat an earlier row exactly (same id, same content) and are stored once.
        #expect(summary.imported == 8289 && summary.repeatedInFile == 450)
        #expect(summary.outsideKept.map { String($0.prefix(while: { $0 != ":" })) } == ["line 8825", "line 8845", "line 8896"])
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE status = 'acknowledged'") > 0)  // "received"
    }

    @Test func csvWithSemicolonsDecimalCommasBOMMultilineFieldsAndEpochs() throws {
        let t = try TestStore()
        let csv = "\u{FEFF}Breite;Länge;Kategorie;Beschreibung;Zeit;ID\r\n"
            + "51,2275;6,7711;cleanliness/litter;\"Scherben;\nam \"\"Burgplatz\"\"\";2026-11-27 10:15;a1\r\n"
            + "51,2221;6,7924;safety/poor-lighting;dunkel;1795864500;a2\r\n"
        let url = try write(csv, "walk.csv", in: t.folder)
        let summary = try t.store.importReports(from: url)
        #expect(summary.imported == 2)
        let reports = try t.store.reports()
        #expect(reports.map(\.description) == ["Scherben;\nam \"Burgplatz\"", "dunkel"])
        #expect(Timestamp.utc(reports[0].observedAt) == "2026-11-27T09:15:00Z")  // no zone: Europe/Berlin
        #expect(Timestamp.utc(reports[1].observedAt) == "2026-11-28T11:15:00Z")  // epoch seconds
        #expect(reports[0].district?.code == "west" && reports[1].district?.code == "ost")
    }

    @Test(arguments: [
        ("empty.csv", "", "is empty"),
        ("truncated.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",", "is not valid JSON"),
        ("garbage.csv", "\u{0}\u{1}\u{2}PK\u{3}\u{4}binary", "is binary data"),
        ("types.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.77,\"north\"]},\"properties\":{\"category\":\"cleanliness/litter\",\"observed_at\":\"2026-11-27T10:00Z\"}}]}", "feature 1, field 'geometry.coordinates[1]': latitude is not a number"),
        ("nocoords.csv", "lat,lon,category,time\n,6.7711,cleanliness/litter,2026-11-27T10:00Z\n", "line 2, field 'lat': is missing"),
        ("swapped.csv", "lat,lon,category,time\n6.7711,51.2275,cleanliness/litter,2026-11-27T10:00Z\n", "line 2, field 'lat/lon': 6.7711, 51.2275 lies outside the city extent 6.6886,51.1243,6.9399,51.3526 (latitude and longitude look swapped)"),
        ("nan.csv", "lat,lon,category,time\nNaN,6.7711,cleanliness/litter,2026-11-27T10:00Z\n", "line 2, field 'lat': is NaN, not a finite number"),
        ("dupes.csv", "id,lat,lon,category,time\n7,51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z\n7,51.2221,6.7924,cleanliness/graffiti,2026-11-27T11:00Z\n", "line 3, field 'id': '7' repeats the id of an earlier record in this file with other content"),
        ("nolat.csv", "breite_x,lon,category,time\n51.2,6.7,cleanliness/litter,2026-11-27T10:00Z\n", "line 1, field 'header': has no latitude"),
        ("badtime.csv", "lat,lon,category,time\n51.2275,6.7711,cleanliness/litter,27.11.2026\n", "line 2, field 'time': '27.11.2026' is not a time"),
    ])
    func malformedInputGetsItsOwnErrorAndLeavesTheDatabaseUnchanged(name: String, content: String, expected: String) throws {
        let t = try TestStore()
        try t.log(lat: 51.2275, lon: 6.7711)
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        let url = try write(content, name, in: t.folder)
        #expect {
            try t.store.importReports(from: url)
        } throws: { error in
            let text = (error as? ImportFailure)?.problems.first.map { "\(url.path): \($0)" } ?? "\(error)"
            return text.hasPrefix(url.path) && text.contains(expected)
        }
        #expect(try t.count() == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
    }

    @Test func outsidePolicies() throws {
        let t = try TestStore()
        let csv = "lat,lon,category,time\n51.2275,6.7711,cleanliness/litter,2026-11-27T10:00Z\n48.137,11.575,cleanliness/litter,2026-11-27T10:00Z\n"
        let url = try write(csv, "mixed.csv", in: t.folder)
        #expect(throws: ImportFailure.self) { try t.store.importReports(from: url) }
        let skipped = try t.store.importReports(from: url, options: try options(t) { $0.outside = .skip })
        #expect(skipped.imported == 1 && skipped.outsideSkipped.count == 1 && skipped.outsideSkipped[0].hasPrefix("line 3"))
        let kept = try t.store.importReports(from: url, options: try options(t) { $0.outside = .keep })
        #expect(kept.imported == 1 && kept.alreadyPresent == 1 && kept.outsideKept.count == 1)
    }

    @Test func gpxTrackBecomesAWalkAndItsWaypointsLinkToIt() throws {
        let t = try TestStore()
        let gpx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
             <wpt lat="51.2275" lon="6.7711"><time>2026-11-24T09:10:00Z</time><name>Scherben</name><type>cleanliness/litter</type><hdop>6</hdop></wpt>
             <wpt lat="51.2221" lon="6.7924"><time>2026-11-24T12:00:00Z</time><name>safety/poor-lighting</name><desc>nach dem Rundgang</desc></wpt>
             <trk><name>Team West</name><trkseg>
              <trkpt lat="51.2270" lon="6.7711"><time>2026-11-24T09:00:00Z</time></trkpt>
              <trkpt lat="51.2280" lon="6.7711"><time>2026-11-24T09:20:00Z</time></trkpt>
             </trkseg></trk>
            </gpx>
            """
        let url = try write(gpx, "rundgang.gpx", in: t.folder)
        let summary = try t.store.importReports(from: url)
        #expect(summary.walksAdded == 1 && summary.imported == 2)
        let walk = try #require(try t.store.walks().first)
        #expect(walk.name == "Team West" && walk.reportCount == 1 && walk.districts == ["Innenstadt West"])
        // 0.001° of latitude; PROJ/pyproj give 111.2 m in EPSG:25832 here (see ProjectionTests).
        #expect(abs(walk.length.value - 111.2) < 0.3)
        let reports = try t.store.reports()
        #expect(reports[0].walkID == walk.id && reports[0].accuracy == Meters(6) && reports[0].description == "Scherben")
        #expect(reports[1].walkID == nil, "observed after the walk ended")
        #expect(reports[1].category.description == "safety/poor-lighting")
        let again = try t.store.importReports(from: url)
        #expect(again.walksPresent == 1 && again.walksAdded == 0 && again.imported == 0)
        // --walk links whatever is imported to a named walk.
        let csv = try write("lat,lon,category,time\n51.2276,6.7712,cleanliness/graffiti,2026-11-30T10:00Z\n", "later.csv", in: t.folder)
        _ = try t.store.importReports(from: csv, options: try options(t) { $0.walkID = walk.id })
        #expect(try t.store.walks().first?.reportCount == 2)
        #expect(throws: DomainError.self) { try t.store.importReports(from: csv, options: try options(t) { $0.walkID = 99 }) }
    }

    @Test func geoJSONTextSequenceIsRead() throws {
        let t = try TestStore()
        let seq = "\u{1E}{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.7711,51.2275]},\"properties\":{\"category\":\"vacancy/vacant-shop\",\"observed_at\":\"2026-11-01T12:00+01:00\",\"id\":\"s1\"}}\n"
            + "\u{1E}{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.7924,51.2221]},\"properties\":{\"category\":\"vacancy\",\"subcategory\":\"interim-use\",\"observed_at\":\"2026-11-02T12:00+01:00\",\"id\":\"s2\"}}\n"
        let url = try write(seq, "reports.geojsons", in: t.folder)
        let summary = try t.store.importReports(from: url)
        #expect(summary.format == .geojsonseq && summary.imported == 2)
        #expect(try t.store.reports().map(\.category.description) == ["vacancy/vacant-shop", "vacancy/interim-use"])
    }
}
