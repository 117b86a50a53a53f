import Foundation
import GRDB
import Testing
@testable import CityMap

/// `reports.first_response_at` and `resolved_at` (schema v9) repeat what the history says, for the summary's speed.
/// Every way a history is written must keep them equal to the history's own answer: the first status change, and the
/// first change to resolved (SQL over report_events, as the summary computed it before v9).
@Suite("Response times kept on the report agree with the history")
struct ResponseColumnsTests {
    /// Reports whose columns differ from the history; and how many have a first response, so that an empty
    /// comparison cannot pass unnoticed.
    static func disagreements(_ store: Store) throws -> (differing: Int, responded: Int, resolved: Int) {
        try store.read { db in
            let differing = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM reports r
                WHERE r.first_response_at IS NOT (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.kind = 'status')
                   OR r.resolved_at IS NOT (SELECT MIN(e.at) FROM report_events e
                                            WHERE e.report_id = r.id AND e.kind = 'status' AND e.to_status = 'resolved')
                """) ?? -1
            let responded = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports WHERE first_response_at IS NOT NULL") ?? -1
            let resolved = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports WHERE resolved_at IS NOT NULL") ?? -1
            return (differing, responded, resolved)
        }
    }

    @Test func statusChangesReopeningAndNotesKeepThemEqual() throws {
        let t = try TestStore()
        let now = try #require(Timestamp.parse("2026-11-30T12:00:00Z"))
        let a = try t.log(lat: 51.2275, lon: 6.7711, at: "2026-11-02T10:00:00+01:00").report.id
        let b = try t.log(lat: 51.2221, lon: 6.7924, at: "2026-11-02T10:00:00+01:00").report.id
        func at(_ text: String) throws -> Date { try #require(Timestamp.parse(text)) }
        try t.store.changeStatus(of: a, to: .acknowledged, at: try at("2026-11-02T12:00"), now: now)
        try t.store.addNote(to: a, text: "AWISTA informiert", at: try at("2026-11-02T13:00"), now: now)
        try t.store.changeStatus(of: a, to: .inProgress, at: try at("2026-11-02T15:00"), now: now)
        try t.store.changeStatus(of: a, to: .resolved, at: try at("2026-11-03T09:00"), now: now)
        try t.store.reopen(a, reason: "wieder da", at: try at("2026-11-05T09:00"), now: now)
        for (status, time) in [(ReportStatus.acknowledged, "2026-11-05T10:00"), (.inProgress, "2026-11-05T11:00"), (.resolved, "2026-11-06T09:00")] {
            try t.store.changeStatus(of: a, to: status, at: try at(time), now: now)
        }
        try t.store.changeStatus(of: b, to: .rejected, at: try at("2026-11-02T11:00"), now: now)
        let check = try Self.disagreements(t.store)
        #expect(check.responded == 2 && check.resolved == 1)
        #expect(check.differing == 0)
        let report = try t.store.read { db in try Row.fetchOne(db, sql: "SELECT first_response_at, resolved_at FROM reports WHERE id = ?", arguments: [a]) }
        #expect(report?[0] == "2026-11-02T11:00:00Z" && report?[1] == "2026-11-03T08:00:00Z") // the first resolution, not the second
    }

    /// A CSV import in bulk mode writes the columns with the report while the trigger is set aside.
    @Test func aBulkImportWritesThemWithTheReport() throws {
        let t = try TestStore()
        let url = URL(fileURLWithPath: t.folder.path("history.csv"))
        var lines = ["id,lat,lon,category,observed_at,status,acknowledged_at,status_at"]
        for i in 0..<30_000 { // large enough to set the indexes aside too (ReportWriter.isLarge)
            let status = ["open", "acknowledged", "in-progress", "resolved", "rejected"][i % 5]
            let acknowledged = status == "open" ? "" : "2026-06-01T14:00:00+02:00"
            let reached = status == "open" ? "" : status == "acknowledged" ? acknowledged : "2026-06-0\(2 + i % 3)T09:00:00+02:00"
            lines.append("\(i),51.2275,6.7711,cleanliness/litter,2026-06-01T10:00:00+02:00,\(status),\(acknowledged),\(reached)")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        func indexes() throws -> [String] {
            try t.store.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' AND sql IS NOT NULL ORDER BY name") }
        }
        let before = try indexes()
        try #require(before.count == 6) // observed time, walk, client id, open reports, due dates, open reports by place
        try t.store.importReports(from: url)
        // The file (about 2.6 MB) was expected large beside the empty table: its indexes were set aside before the first
        // row (ReportWriter.expect) and are all back, the same.
        #expect(try indexes() == before)
        #expect(try t.store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        let check = try Self.disagreements(t.store)
        #expect(check.responded == 24_000 && check.resolved == 6_000)
        #expect(check.differing == 0)
        // The trigger is back after the import: a change afterwards is recorded by it.
        let open = try #require(try t.store.reports(matching: { var f = ReportFilter(); f.statuses = [.open]; f.limit = 1; return f }()).first)
        try t.store.changeStatus(of: open.id, to: .acknowledged)
        #expect(try Self.disagreements(t.store).differing == 0 && Self.disagreements(t.store).responded == 24_001)
        #expect(try t.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'report_events_responses'") } == 1)
    }

    /// Open311 closed requests get their status change at `updated_datetime`.
    @Test(.enabled(if: SharedData.file("open311/fixtures/bloomington_open311_requests_2012.json") != nil, "../shared/data/open311 is absent"))
    func anOpen311ImportKeepsThemEqual() throws {
        let t = try TestStore()
        var options = ImportOptions()
        options.extent = try BoundingBox(west: -180, south: -85, east: 180, north: 85)
        options.skipInvalid = true // 8 of Bloomington's requests break the spec; the rest is what matters here
        let folder = try TemporaryFolder()
        let map = URL(fileURLWithPath: folder.path("map.json"))
        try Data(#"{"*": "cleanliness/litter"}"#.utf8).write(to: map)
        options.categoryMap = try CategoryMap(contentsOf: map, taxonomy: try t.store.taxonomy())
        try t.store.importReports(from: try #require(SharedData.file("open311/fixtures/bloomington_open311_requests_2012.json")), options: options)
        let check = try Self.disagreements(t.store)
        #expect(check.responded > 0)
        #expect(check.differing == 0)
    }

    /// v9 fills the columns of a database written before it from the history.
    @Test func theUpgradeFillsThemFromTheHistory() throws {
        let (folder, path) = try MigrationTests.copy()
        _ = folder
        let store = try Store(path: path)
        let check = try Self.disagreements(store)
        // The fixture's history (Tests/Fixtures/README.md): #1 acknowledged, #2 a duplicate, #3 resolved.
        #expect(check.responded == 3 && check.resolved == 1 && check.differing == 0)
    }
}
