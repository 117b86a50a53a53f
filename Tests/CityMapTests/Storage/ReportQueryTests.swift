import Foundation
import Testing
@testable import CityMap

@Suite("Reports near a place, a window at a time")
struct ReportQueryTests {
    /// 3,000 reports within 30 m of Burgplatz over a year, 500 at Corneliusplatz in its last week only, 300 spread
    /// over the centre: a window near each place is the same whichever way `nearWindow` takes (the walk in time
    /// order at Burgplatz, the walk given up at Corneliusplatz whose reports are all late, the index at a quiet
    /// street) as the whole list near the place cut to the window.
    @Test func everyWayGivesTheSameWindow() throws {
        let t = try TestStore()
        var csv = "id,lat,lon,category,observed_at,status\n"
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        func time(_ day: Double) -> String {
            Timestamp.utc(Date(timeIntervalSince1970: 1_767_225_600 + day * 86_400))
        }
        let categories = ["cleanliness/litter", "safety/unsafe-place", "cleanliness/graffiti"]
        for i in 0..<3800 {
            let (lat, lon, day): (Double, Double, Double)
            switch i {
            case ..<3000: (lat, lon, day) = (51.2275 + (next() - 0.5) * 0.0005, 6.7711 + (next() - 0.5) * 0.0008, next() * 365)
            case ..<3500: (lat, lon, day) = (51.2259 + (next() - 0.5) * 0.0003, 6.7786 + (next() - 0.5) * 0.0004, 358 + next() * 7)
            default: (lat, lon, day) = (51.215 + next() * 0.02, 6.765 + next() * 0.03, next() * 365)
            }
            csv += "q\(i),\(lat),\(lon),\(categories[i % 3]),\(time(day)),\(i % 4 == 0 ? "resolved" : "open")\n"
        }
        let file = t.folder.url.appendingPathComponent("near.csv")
        try Data(csv.utf8).write(to: file)
        #expect(try t.store.importReports(from: file).imported == 3800)
        let places = [(51.2275, 6.7711, 30.0), (51.2259, 6.7786, 25.0), (51.2200, 6.7700, 100.0)]
        for (lat, lon, radius) in places {
            for (limit, offset, status) in [(20, 0, nil), (5, 40, nil), (50, 0, ReportStatus.open), (1, 0, nil), (500, 2990, nil)] as [(Int, Int, ReportStatus?)] {
                var filter = ReportFilter()
                filter.near = (try Coordinate(lon: lon, lat: lat), Meters(radius))
                if let status { filter.statuses = [status] }
                let all = try t.store.reports(matching: filter).map(\.id)
                filter.limit = limit
                filter.offset = offset
                let window = try t.store.reports(matching: filter).map(\.id)
                let expected = Array(all.dropFirst(offset).prefix(limit))
                try #require(window.count == expected.count, "\(lat),\(lon) \(limit)/\(offset)")
                #expect(window == expected, "\(lat),\(lon) \(limit)/\(offset) \(String(describing: status))")
            }
        }
    }
}
