import Foundation
import Testing

/// `citymap overdue` streams and pages: the pages put together are the whole list, in every format.
@Suite("citymap overdue streams and pages")
struct OverdueCommandTests {
    /// 1,205 open reports observed on consecutive minutes, all overdue after 10 days; more than the 1,000 rows a table
    /// is aligned on, so the streamed part of the table is exercised too.
    static func prepared() throws -> CLI {
        let cli = try CLI()
        try #require(try cli.run(["init"]).status == 0)
        var lines = ["id,lat,lon,category,observed_at"]
        for i in 0..<1_205 {
            let day = 1 + i / 600, minute = i % 600
            lines.append("r\(i),51.2275,6.7711,cleanliness/litter,2026-01-0\(day)T\(String(format: "%02d:%02d", 8 + minute / 60, minute % 60)):00+01:00")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: cli.folder.url.appendingPathComponent("old.csv"))
        try #require(try cli.run(["import", "old.csv"]).status == 0)
        return cli
    }

    @Test func pagesPutTogetherAreTheWholeList() throws {
        let cli = try Self.prepared()
        let all = try cli.run(["overdue", "--format", "csv"])
        let rows = all.stdout.split(separator: "\r\n").dropFirst()
        try #require(rows.count == 1_205)
        var paged: [Substring] = []
        for offset in stride(from: 0, to: 1_205, by: 500) {
            paged += try cli.run(["overdue", "--format", "csv", "--limit", "500", "--offset", "\(offset)"]).stdout.split(separator: "\r\n").dropFirst()
        }
        #expect(paged == Array(rows))
        // Oldest first: the first row is the one observed at 08:00.
        #expect(rows.first?.hasPrefix("1,") == true && rows.first?.contains("2026-01-01 08:00") == true)
        #expect(rows.last?.hasPrefix("1205,") == true && rows.last?.contains("2026-01-03 08:04") == true)

        let json = try cli.run(["overdue", "--format", "json", "--limit", "3", "--offset", "1"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let oldest = try #require(object["oldest"] as? [[String: Any]])
        #expect(object["total"] as? Int == 1_205 && oldest.count == 3 && oldest.first?["id"] as? Int == 2)

        let table = try cli.run(["overdue"])
        let tableLines = table.stdout.split(separator: "\n")
        #expect(tableLines.count == 2 + 1_205 + 1)
        #expect(tableLines.last == "1205 overdue")
        // The streamed rows (after the first 1,000) line up with the first ones.
        let column = tableLines[0].range(of: "category")!.lowerBound.utf16Offset(in: tableLines[0])
        for line in [tableLines[2], tableLines[1_100]] {
            #expect(line.dropFirst(column).hasPrefix("cleanliness/litter"))
        }
        #expect(try cli.run(["overdue", "--limit", "2", "--offset", "1203"]).stdout.hasSuffix("2 of 1205 overdue (from #1204, oldest first)\n"))
    }
}
