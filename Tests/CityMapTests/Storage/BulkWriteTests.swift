import Foundation
import GRDB
import Testing
@testable import CityMap

/// `Store.writeInBulk` sets SQLite's foreign-key and CHECK constraints aside for an import, trusting the import to
/// write only values that hold them. These tests check that trust (no reference an import writes is broken) and that
/// the constraints are back afterwards, whether the import landed or failed.
@Suite("Bulk imports: constraints set aside and put back")
struct BulkWriteTests {
    /// The connection's settings, read through the store's own connection (one connection for the command line).
    static func settings(_ store: Store) throws -> (foreignKeys: Int, ignoreChecks: Int) {
        try store.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys") ?? -1, try Int.fetchOne(db, sql: "PRAGMA ignore_check_constraints") ?? -1)
        }
    }

    static func csv(_ rows: Int, in t: TestStore, name: String, broken: Int? = nil) throws -> URL {
        var lines = ["id,lat,lon,category,observed_at,status,acknowledged_at,status_at"]
        for i in 0..<rows {
            let status = ["open", "acknowledged", "in-progress", "resolved", "rejected"][i % 5]
            let acknowledged = status == "open" ? "" : "2026-06-01T14:00:00+02:00"
            let reached = status == "open" ? "" : "2026-06-02T09:00:00+02:00"
            // On Burgplatz (Innenstadt West), on Konrad-Adenauer-Platz (Innenstadt Ost), and in neither (Pempelfort).
            let place = ["\(Places.burgplatz.lat),\(Places.burgplatz.lon)", "\(Places.konradAdenauerPlatz.lat),\(Places.konradAdenauerPlatz.lon)",
                         "\(Places.pempelfort.lat),\(Places.pempelfort.lon)"][i % 3]
            let category = i == broken ? "no/such-thing" : ["cleanliness/litter", "safety/poor-lighting"][i % 2]
            lines.append("\(name)-\(i),\(place),\(category),2026-06-01T10:00:00+02:00,\(status),\(acknowledged),\(reached)")
        }
        let url = URL(fileURLWithPath: t.folder.path("\(name).csv"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    @Test func everyReferenceAnImportWritesHoldsAndTheConstraintsAreBack() throws {
        let t = try TestStore()
        try #require(try Self.settings(t.store) == (1, 0))
        // A walk first, so that the import links reports to it (walk_id) as well.
        let gpx = """
            <?xml version="1.0"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
             <trk><name>Team West</name><trkseg>
              <trkpt lat="51.2270" lon="6.7711"><time>2026-06-01T07:00:00Z</time></trkpt>
              <trkpt lat="51.2280" lon="6.7711"><time>2026-06-01T09:00:00Z</time></trkpt>
             </trkseg></trk>
            </gpx>
            """
        let walkFile = URL(fileURLWithPath: t.folder.path("walk.gpx"))
        try Data(gpx.utf8).write(to: walkFile)
        #expect(try t.store.importReports(from: walkFile).walksAdded == 1)
        let summary = try t.store.importReports(from: try Self.csv(3_000, in: t, name: "many"))
        #expect(summary.imported == 3_000)
        #expect(try Self.settings(t.store) == (1, 0))
        // Counts first, so that an empty check cannot pass: every kind of reference was written.
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE district_id IS NOT NULL") == 2_000)
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE square_id IS NOT NULL") == 2_000)
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE walk_id IS NOT NULL") == 3_000)
        #expect(try t.count("SELECT COUNT(DISTINCT report_id) FROM report_events") == 3_000)
        #expect(try t.count("SELECT COUNT(*) FROM report_events") == 600 + 2 * 600 + 3 * 1_800)
        // SQLite's own check of every foreign key in the file finds nothing.
        #expect(try t.store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        #expect(try t.store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        // And both kinds of constraint hold again for any later write.
        #expect(throws: (any Error).self) {
            try t.store.write { db in try db.execute(sql: "UPDATE reports SET status = 'lost' WHERE id = 1") }
        }
        #expect(throws: (any Error).self) {
            try t.store.write { db in try db.execute(sql: "UPDATE reports SET district_id = 999999 WHERE id = 1") }
        }
        #expect(throws: (any Error).self) {
            try t.store.write { db in
                try db.execute(sql: "INSERT INTO report_events (report_id, at, to_status) VALUES (999999, '2026-06-01T10:00:00Z', 'open')")
            }
        }
    }

    @Test func aFailedImportPutsThemBackAndLeavesNothing() throws {
        let t = try TestStore()
        _ = try t.store.importReports(from: try Self.csv(10, in: t, name: "first"))
        #expect(throws: (any Error).self) {
            try t.store.importReports(from: try Self.csv(10_000, in: t, name: "broken", broken: 9_500))
        }
        #expect(try Self.settings(t.store) == (1, 0))
        #expect(try t.count() == 10)
        #expect(try t.count("SELECT COUNT(*) FROM report_events") == 2 + 2 * 2 + 3 * 6)
        #expect(throws: (any Error).self) {
            try t.store.write { db in try db.execute(sql: "UPDATE reports SET severity = 'dire' WHERE id = 1") }
        }
    }

    /// Partial indexes of rows where a column is set stay during an import (`ReportWriter.setIndexesAside`): with
    /// every imported report on a walk, the kept walk index must still hold each of them (integrity_check compares
    /// every index with the table) and answer for the walk.
    @Test func aKeptPartialIndexTakesEveryRowTheImportSets() throws {
        let t = try TestStore()
        let walkFile = URL(fileURLWithPath: t.folder.path("walk.gpx"))
        try Data("""
            <?xml version="1.0"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Ost</name><trkseg>
             <trkpt lat="51.2221" lon="6.7924"><time>2026-11-01T07:00:00Z</time></trkpt>
             <trkpt lat="51.2231" lon="6.7924"><time>2026-11-01T08:00:00Z</time></trkpt>
            </trkseg></trk></gpx>
            """.utf8).write(to: walkFile)
        _ = try t.store.importReports(from: walkFile)
        let walk = try #require(try t.store.walks().first)
        var options = ImportOptions()
        options.walkID = walk.id
        #expect(try t.store.importReports(from: try Self.csv(25_000, in: t, name: "walked"), options: options).imported == 25_000)
        #expect(try t.store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        let plan = try t.store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM reports WHERE walk_id = ?", arguments: [walk.id]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("reports_walk") })
        #expect(try t.count("SELECT COUNT(*) FROM reports WHERE walk_id = \(walk.id)") == 25_000)
        #expect(try t.store.walks().first?.reportCount == 25_000)
    }
}
