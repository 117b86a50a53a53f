import CityMapGeoData
import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("Exporting RFC 7946 GeoJSON, text sequences and CSV")
struct ExportTests {
    /// A store holding the demo walk (2 walks, 26 reports) with a reporter and a few status changes.
    func demoStore() throws -> TestStore {
        let t = try TestStore()
        var o = ImportOptions()
        o.source = "field-walk"
        _ = try t.store.importReports(from: try #require(GeoDataFiles.demoWalk), options: o)
        try t.log(lat: 51.2262, lon: 6.7745, "safety/unsafe-place", note: "Durchgang abends dunkel")
        try t.store.changeStatus(of: 1, to: .acknowledged, note: "intern: an AWISTA", actor: "CM")
        return t
    }

    func export(_ t: TestStore, to target: URL? = nil, _ edit: (inout ExportOptions) -> Void = { _ in }) throws -> String {
        var o = ExportOptions()
        edit(&o)
        let url = target ?? t.folder.url.appendingPathComponent("export-\(UUID().uuidString)")
        try AtomicFile.write(to: url) { try t.store.exportReports(o, to: $0) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func exportImportExportRoundTripIsIdentical() throws {
        let t = try demoStore()
        for profile in ExportProfile.allCases {
            let first = try export(t) { $0.profile = profile }
            let fresh = try TestStore()
            let file = fresh.folder.url.appendingPathComponent("first.geojson")
            try Data(first.utf8).write(to: file)
            let summary = try fresh.store.importReports(from: file)
            #expect(summary.imported == 27)
            #expect(try export(fresh) { $0.profile = profile } == first, "\(profile)")
        }
    }

    @Test func publicProfileCarriesNoPersonalData() throws {
        let t = try TestStore()
        let code = try t.store.taxonomy().resolve("safety/unsafe-place")
        var new = NewReport(position: try Coordinate(lon: 6.7711, lat: 51.2275), category: code, description: "Angstraum an der Treppe",
                            observedAt: Date(), reporter: "Anna Kowalski <anna@example.org>")
        new.mediaURL = "https://example.org/photo-of-anna.jpg"
        let id = try t.store.log(new).report.id
        try t.store.changeStatus(of: id, to: .acknowledged, note: "intern: Anna rief an, 0211 123456", actor: "CM")
        for format in ExportFormat.allCases {
            let text = try export(t) { $0.format = format }
            #expect(!text.contains("Anna") && !text.contains("0211") && !text.contains("reporter") && !text.contains("photo"), "\(format)")
            let internalText = try export(t) { $0.format = format; $0.profile = .internal }
            #expect(internalText.contains("Anna Kowalski") && internalText.contains("intern: Anna rief an"))
        }
    }

    @Test func geoJSONFollowsRFC7946() throws {
        let t = try demoStore()
        let text = try export(t)
        #expect(!text.contains("\"crs\""))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == 27)
        let first = features[0]
        let coordinates = try #require((first["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(coordinates == [6.77108, 51.22752], "lon, lat")
        let properties = try #require(first["properties"] as? [String: Any])
        #expect(properties["title"] as? String == "Littering / Müll – Burgplatz")
        #expect(properties["marker-color"] as? String == "#8c564b" && properties["marker-symbol"] as? String == "waste-basket")
        #expect(properties["observed_at"] as? String == "2026-11-24T09:32:00+01:00")
        #expect(properties["district"] as? String == "Innenstadt West" && properties["square"] as? String == "Burgplatz")
        // No coordinate has more decimals than asked for.
        let decimals = try NSRegularExpression(pattern: "\"coordinates\":\\[-?\\d+\\.(\\d+),-?\\d+\\.(\\d+)\\]")
        for match in decimals.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            #expect(match.range(at: 1).length <= 6 && match.range(at: 2).length <= 6)
        }
        #expect(throws: ExportError.self) { try export(t) { $0.precision = 8 } }
    }

    @Test func polygonsAreCounterClockwiseAndWalksAreStyledLines() throws {
        let t = try demoStore()
        let areasFile = t.folder.url.appendingPathComponent("areas.geojson")
        #expect(try AtomicFile.write(to: areasFile) { try t.store.exportAreas(ExportOptions(), to: $0) } == 9)
        let areas = try BoundaryFile.read(areasFile, nameProperty: "title")
        #expect(areas.count == 9)
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: areasFile)) as? [String: Any]
        for feature in raw?["features"] as? [[String: Any]] ?? [] {
            let rings = ((feature["geometry"] as? [String: Any])?["coordinates"] as? [[[[Double]]]]) ?? []
            for polygon in rings {
                let ring = try LinearRing(polygon[0].map { try Coordinate(lon: $0[0], lat: $0[1]) })
                #expect(ring.isCounterClockwise)
            }
        }
        let walksFile = t.folder.url.appendingPathComponent("walks.geojson")
        #expect(try AtomicFile.write(to: walksFile) { try t.store.exportWalks(ExportOptions(), to: $0) } == 2)
        let walks = try String(contentsOf: walksFile, encoding: .utf8)
        #expect(walks.contains("\"type\":\"MultiLineString\"") && walks.contains("\"stroke\":\"#e6550d\"") && walks.contains("\"stroke-width\":4"))
    }

    @Test func textSequenceAndCSV() throws {
        let t = try demoStore()
        let seq = try export(t) { $0.format = .geojsonseq }
        let records = seq.split(separator: "\n")
        #expect(records.count == 27 && records.allSatisfy { $0.first == "\u{1E}" })
        let csv = try export(t) { $0.format = .csv; $0.filter.districts = ["west"] }
        let rows = csv.split(separator: "\r\n")
        #expect(rows.count == 1 + 15)
        #expect(rows[0].hasPrefix("id,lon,lat,title,description"))
    }

    @Test func aFailedExportLeavesNoFile() throws {
        let t = try demoStore()
        // The target is a folder: the rename at the end fails, and the partial file must be gone.
        let target = t.folder.url.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("x".utf8).write(to: target.appendingPathComponent("keep"))
        #expect(throws: OutputError.self) { try export(t, to: target) }
        let left = try FileManager.default.contentsOfDirectory(atPath: t.folder.url.path).filter { $0.contains("partial") }
        #expect(left.isEmpty)
        #expect(throws: OutputError.self) { try export(t, to: t.folder.url.appendingPathComponent("no/such/x.geojson")) }
    }

    /// 9,000 reports, more than two of the blocks the reading thread hands to the two formatting ones: every
    /// feature once, in id order, each the same as when exported alone (also at the blocks' edges).
    @Test func aLargeExportKeepsItsOrderAcrossBlocks() throws {
        let t = try TestStore()
        let file = t.folder.url.appendingPathComponent("many.csv")
        var csv = "id,lat,lon,category,description,observed_at,reporter\n"
        for i in 0..<9000 {
            csv += "m\(i),\(51.2200 + Double(i % 90) * 0.0001),\(6.7700 + Double(i / 90) * 0.0001),cleanliness/litter,"
            csv += "Nr. \(i) bei Erika Mustermann,2026-0\(1 + i % 9)-1\(i % 10)T0\(i % 10):15:00+01:00,Erika Mustermann\n"
        }
        try Data(csv.utf8).write(to: file)
        #expect(try t.store.importReports(from: file).imported == 9000)
        let text = try export(t)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(object["features"] as? [[String: Any]])
        try #require(features.count == 9000)
        #expect(features.map { $0["id"] as? Int } == (1...9000).map { $0 })
        #expect(!text.contains("Mustermann"))
        for index in [0, 4095, 4096, 4097, 8191, 8192, 8999] {
            let alone = try export(t) { $0.offset = index; $0.filter.limit = 1 }
            let single = try #require(try JSONSerialization.jsonObject(with: Data(alone.utf8)) as? [String: Any])
            let feature = try #require((single["features"] as? [[String: Any]])?.first)
            #expect(NSDictionary(dictionary: feature).isEqual(to: features[index]), "feature \(index)")
        }
        let rows = try export(t) { $0.format = .csv }.split(separator: "\r\n")
        #expect(rows.count == 1 + 9000 && rows[4097].hasPrefix("4097,"))
    }

    /// A category the taxonomy does not hold (written by another tool) and a time not in the stored form still
    /// export, with the look of an unknown category and the time read as the UTC it is stored in.
    @Test func unknownCategoriesAndOddTimesExport() throws {
        let t = try demoStore()
        // As another tool would write it: without citymap's foreign keys.
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        try DatabaseQueue(path: t.store.path, configuration: configuration).write { db in
            try db.execute(sql: "UPDATE reports SET category = 'other', subcategory = 'thing', observed_at = '2026-11-27 10:15' WHERE id = 2")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try export(t).utf8)) as? [String: Any])
        let features = try #require(object["features"] as? [[String: Any]])
        try #require(features.count == 27)
        let properties = try #require(features[1]["properties"] as? [String: Any])
        #expect(properties["category_label"] as? String == "other" && properties["subcategory_label"] as? String == "other/thing")
        #expect(properties["marker-color"] as? String == "#7f7f7f" && properties["marker-symbol"] as? String == "marker")
        #expect((properties["title"] as? String)?.hasPrefix("other/thing") == true)
        // Stored times are UTC, also when written without the Z: shown in Berlin time with the offset.
        #expect(properties["observed_at"] as? String == "2026-11-27T11:15:00+01:00")
    }

    /// A row without a point, in the middle of a large export, stops it with the report named, and no file is left.
    @Test func aBrokenRowStopsTheExportAndLeavesNoFile() throws {
        let t = try TestStore()
        let file = t.folder.url.appendingPathComponent("many.csv")
        var csv = "id,lat,lon,category,observed_at\n"
        for i in 0..<6000 { csv += "b\(i),51.2275,6.7711,cleanliness/litter,2026-11-27T10:15:00+01:00\n" }
        try Data(csv.utf8).write(to: file)
        #expect(try t.store.importReports(from: file).imported == 6000)
        try t.store.write { db in
            try db.execute(sql: "DROP TRIGGER ggu_reports_geom")
            try db.execute(sql: "UPDATE reports SET geom = x'00' WHERE id = 5000")
        }
        let target = t.folder.url.appendingPathComponent("out.geojson")
        #expect(throws: ExportError.noPoint(report: 5000)) { try export(t, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: t.folder.url.path).filter { $0.contains("partial") }
        #expect(left.isEmpty)
    }
}
