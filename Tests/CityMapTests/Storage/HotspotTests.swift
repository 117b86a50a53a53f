import Foundation
import Testing
@testable import CityMap

@Suite("Hotspot clusters from stored reports")
struct HotspotTests {
    @Test func aClusterStraddlingTheOstWestBoundaryTouchesBothDistricts() throws {
        let t = try TestStore()
        // Walk east from Carlstadt in 2 m steps until the district changes, then log reports on both sides.
        let index = try t.store.read { db in try t.store.areaIndex(db) }
        var lon = 6.7740
        let lat = 51.2240
        while index.place(try Coordinate(lon: lon, lat: lat)).district?.code == "west" { lon += 2 / 69_800 }
        for k in -3...2 { try t.log(lat: lat, lon: lon + Double(k) * 3 / 69_800) }
        let result = try t.store.hotspotClusters(matching: ReportFilter(), eps: Meters(10), minPoints: 3)
        #expect(result.clusters.count == 1 && result.noise == 0)
        #expect(result.clusters[0].districts == ["Innenstadt Ost", "Innenstadt West"])
    }

    @Test func identicalReportsGetABufferedHullAndNoNoise() throws {
        let t = try TestStore()
        for _ in 0..<6 { try t.log(lat: 51.2275, lon: 6.7711) }
        let result = try t.store.hotspotClusters(matching: ReportFilter(), eps: Meters(30), minPoints: 5)
        let c = try #require(result.clusters.first)
        #expect(c.size == 6 && c.square == "Burgplatz" && c.radius90 == Meters(0))
        #expect(c.hull.count == 17 && c.hull.first == c.hull.last)
        let ring = try LinearRing(c.hull)
        #expect(ring.isCounterClockwise)
        // The 16-gon has a radius of 5 m around the point.
        let projector = try Projector.etrs89UTM32()
        let centre = try projector.project(c.centroid)
        for p in try projector.project(c.hull) { #expect(abs(p.distance(to: centre).value - 5) < 0.01) }
    }

    @Test func filtersApplyAndAnEmptyWindowIsNoCrash() throws {
        let t = try TestStore()
        for k in 0..<5 { try t.log(lat: 51.2275 + Double(k) * 0.00002, lon: 6.7711, "cleanliness/litter") }
        for k in 0..<5 { try t.log(lat: 51.2221 + Double(k) * 0.00002, lon: 6.7924, "safety/poor-lighting") }
        var filter = ReportFilter()
        filter.categories = ["safety"]
        let safety = try t.store.hotspotClusters(matching: filter, eps: Meters(30), minPoints: 5)
        #expect(safety.clusters.map(\.dominantCategory) == ["safety"] && safety.clusters[0].districts == ["Innenstadt Ost"])
        filter = ReportFilter()
        filter.since = Timestamp.parse("2030-01-01")
        let none = try t.store.hotspotClusters(matching: filter, eps: Meters(30), minPoints: 5)
        #expect(none.reports == 0 && none.clusters.isEmpty)
        #expect(throws: HotspotError.self) { try t.store.hotspotClusters(matching: ReportFilter(), eps: Meters(0), minPoints: 5) }
        #expect(throws: HotspotError.self) { try t.store.hotspotClusters(matching: ReportFilter(), eps: Meters(30), minPoints: 0) }
    }

    @Test func geoJSONHasHullsAndCentresStyledByCategory() throws {
        let t = try TestStore()
        for k in 0..<5 { try t.log(lat: 51.2275 + Double(k) * 0.00003, lon: 6.7711 + Double(k % 2) * 0.00004, "cleanliness/litter") }
        let result = try t.store.hotspotClusters(matching: ReportFilter(), eps: Meters(30), minPoints: 5)
        let url = t.folder.url.appendingPathComponent("hotspots.geojson")
        let taxonomy = try t.store.taxonomy()
        try AtomicFile.write(to: url) { try HotspotExport.clusters(result, taxonomy: taxonomy, to: $0) }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let features = try #require(object?["features"] as? [[String: Any]])
        #expect(features.count == 2)
        let kinds = features.compactMap { ($0["geometry"] as? [String: Any])?["type"] as? String }
        #expect(kinds == ["Polygon", "Point"])
        let hull = try #require(features[0]["properties"] as? [String: Any])
        #expect(hull["title"] as? String == "Hotspot 1: Sauberkeit, 5 reports" && hull["fill"] as? String == "#8c564b")
    }
}

@Suite("Gi* grids from stored reports")
struct GiStarGridTests {
    @Test func aGridWithASinglePopulatedCellIsRefusedClearly() throws {
        let t = try TestStore()
        for _ in 0..<40 { try t.log(lat: 51.2275, lon: 6.7711) }
        #expect {
            try t.store.hotspotGrid(matching: ReportFilter(), cell: Meters(50), band: Meters(150), fdr: false)
        } throws: { "\($0)".contains("only 1 cell has reports; Gi* needs at least 3") }
    }

    @Test func badCellsAndBandsAreRefused() throws {
        let t = try TestStore()
        for k in 0..<5 { try t.log(lat: 51.2275 + Double(k) * 0.001, lon: 6.7711) }
        #expect { try t.store.hotspotGrid(matching: ReportFilter(), cell: Meters(50), band: Meters(20), fdr: false) }
            throws: { ($0 as? HotspotError)?.message(naming: { "--" + $0 }).contains("--band 20 m is smaller than --cell 50 m") == true }
        #expect { try t.store.hotspotGrid(matching: ReportFilter(), cell: Meters(5000), band: Meters(10000), fdr: false) }
            throws: { "\($0)".contains("is larger than the extent") }
        #expect { try t.store.hotspotGrid(matching: ReportFilter(), cell: Meters(0), band: Meters(10), fdr: false) }
            throws: { ($0 as? HotspotError)?.parameter == "cell" && "\($0)".contains("cell must be more than 0 m") }
    }

    @Test func fewReportsWarnAndTheGridCoversTheDistricts() throws {
        let t = try TestStore()
        for k in 0..<5 { try t.log(lat: 51.2275 + Double(k) * 0.001, lon: 6.7711) }
        let grid = try t.store.hotspotGrid(matching: ReportFilter(), cell: Meters(100), band: Meters(300), fdr: true)
        #expect(grid.reports == 5 && grid.warnings.count == 1 && grid.warnings[0].contains("fewer than 30"))
        // Both districts span about 2.4 km × 1.5 km: the grid covers them, not just the five reports.
        #expect(grid.columns >= 20 && grid.rows >= 14)
        #expect(grid.cells.filter { $0.count > 0 }.count == 5)
        #expect(grid.cells.allSatisfy { $0.outline.count == 5 && $0.outline.first == $0.outline.last })
        var filter = ReportFilter()
        filter.categories = ["vacancy"]
        #expect(try t.store.hotspotGrid(matching: filter, cell: Meters(100), band: Meters(300), fdr: false).reports == 0)
    }
}
