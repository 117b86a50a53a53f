import Foundation
import GRDB
import Testing
@testable import CityMap

@Suite("Likely duplicates through the index of open reports by place")
struct DuplicateCheckTests {
    /// 2,000 reports of two subcategories and every status within about 40 m of two places: the nearest open
    /// reports of the subcategory within 25 m are those a look at every report finds (distance from the stored
    /// EPSG:25832 x and y, ties by id), for 40 positions; and the partial index holds exactly the open reports.
    @Test func theIndexFindsWhatALookAtEveryReportFinds() throws {
        let t = try TestStore()
        var seed: UInt64 = 7
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        let statuses = ["open", "acknowledged", "in-progress", "resolved", "rejected"]
        var csv = "id,lat,lon,category,observed_at,status\n"
        for i in 0..<2000 {
            let (lat, lon) = i % 2 == 0 ? (51.2275, 6.7711) : (51.2259, 6.7786)
            csv += "d\(i),\(lat + (next() - 0.5) * 0.0007),\(lon + (next() - 0.5) * 0.0011),"
            csv += "\(i % 3 == 0 ? "safety/unsafe-place" : "cleanliness/litter"),2026-11-0\(1 + i % 9)T10:00:00Z,\(statuses[i % 5])\n"
        }
        let file = t.folder.url.appendingPathComponent("dups.csv")
        try Data(csv.utf8).write(to: file)
        #expect(try t.store.importReports(from: file).imported == 2000)
        let all = try t.store.reports(matching: ReportFilter())
        try #require(all.count == 2000)
        let taxonomy = try t.store.taxonomy()
        for k in 0..<40 {
            let center = k % 2 == 0 ? (51.2275, 6.7711) : (51.2259, 6.7786)
            let position = try Coordinate(lon: center.1 + (next() - 0.5) * 0.0012, lat: center.0 + (next() - 0.5) * 0.0008)
            let code = try taxonomy.resolve(k % 3 == 0 ? "safety/unsafe-place" : "cleanliness/litter")
            let p = try t.store.projector.project(position)
            let expected = all.filter { $0.category == code && $0.status.isOpen }
                .map { (id: $0.id, d: $0.projected.distance(to: p).value) }
                .filter { $0.d <= Store.duplicateRadius.value }
                .sorted { ($0.d, $0.id) < ($1.d, $1.id) }
                .prefix(Store.duplicateLimit).map(\.id)
            let found = try t.store.read { db in try t.store.likelyDuplicates(category: code, position: position, db: db, taxonomy: taxonomy) }
            try #require(found.count == expected.count, "position \(k)")
            #expect(found.map(\.report.id) == Array(expected), "position \(k)")
        }
        // The index's condition is the open statuses as ReportQuery lists them.
        #expect(ReportQuery.openStatuses == "'open', 'acknowledged', 'in-progress'")
        let indexed = try t.store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports INDEXED BY reports_open_place WHERE status IN ('open', 'acknowledged', 'in-progress') AND category = 'cleanliness'")
        }
        #expect(indexed == all.filter { $0.status.isOpen && $0.category.category == "cleanliness" }.count)
    }
}
