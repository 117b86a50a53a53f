import Foundation
import GRDB
import Testing
@testable import CityMap

/// `RTreePacking` writes SQLite's R*Tree shadow tables directly. SQLite's own `rtreecheck()` (ext/rtree) checks
/// the structure it wrote; queries through the virtual table are compared with a scan of the entries.
@Suite("Packed R*Tree checked by SQLite's rtreecheck")
struct RTreePackingTests {
    /// A plain R*Tree like SpatiaLite's `idx_<table>_<column>`, in a real file.
    static func tree(_ folder: TemporaryFolder) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: folder.path("rtree.sqlite"))
        try queue.write { db in try db.execute(sql: "CREATE VIRTUAL TABLE idx USING rtree(pkid, xmin, xmax, ymin, ymax)") }
        return queue
    }

    static func entries(_ count: Int, seed: UInt64) -> [RTreePacking.Entry] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { i in
            // Points over the city centre in EPSG:25832 metres; some share a position.
            let x = 343_000 + Double(generator.next() % 4_000_000) / 1000
            let y = 5_676_000 + Double(generator.next() % 3_000_000) / 1000
            return RTreePacking.Entry(id: Int64(i * 3 + 1), x: i % 50 == 0 ? 344_374.28 : x, y: i % 50 == 0 ? 5_677_484.77 : y)
        }
    }

    /// The nodes STR makes of `count` points, 51 cells to a node, counted from the paper's recipe: ⌈n / 51⌉ nodes
    /// on a level, in ⌈√nodes⌉ vertical slices of √nodes × 51 entries each, the last node of each slice perhaps part
    /// full; levels until one node (2,700 points: 53 leaves, 2 nodes above them, the root: 56).
    static func strNodes(_ count: Int) -> Int {
        var n = count, total = 0
        repeat {
            guard n > 51 else { return total + 1 }
            let perSlice = Int(Double((n + 50) / 51).squareRoot().rounded(.up)) * 51
            let nodes = (n / perSlice) * (perSlice / 51) + (n % perSlice + 50) / 51
            total += nodes
            n = nodes
        } while true
    }

    static func check(_ queue: DatabaseQueue) throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT rtreecheck('idx')") ?? "" }
    }

    // 0 and 1 entries, one node exactly full, one over, and several levels (51 cells per 1 KiB node).
    @Test(arguments: [0, 1, 51, 52, 2_700, 20_000])
    func packedTreePassesRtreecheckAndAnswersAsAScan(count: Int) throws {
        let folder = try TemporaryFolder()
        let queue = try Self.tree(folder)
        let entries = Self.entries(count, seed: UInt64(count) + 7)
        var packed = entries
        try queue.write { db in try RTreePacking.rebuild(db, name: "idx", entries: &packed) }
        #expect(packed.isEmpty)
        #expect(try Self.check(queue) == "ok")
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx") } == count)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx_rowid") } == count)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx_node") } == Self.strNodes(count))

        let boxes: [(Float, Float, Float, Float)] = [(344_000, 345_000, 5_677_000, 5_678_000), (343_000, 347_000, 5_676_000, 5_679_000),
                                                      (344_374, 344_375, 5_677_484, 5_677_485), (0, 1, 0, 1)]
        for (minX, maxX, minY, maxY) in boxes {
            let expected = Set(entries.filter { $0.maxX >= minX && $0.minX <= maxX && $0.maxY >= minY && $0.minY <= maxY }.map(\.id))
            let found = try queue.read { db in
                Set(try Int64.fetchAll(db, sql: "SELECT pkid FROM idx WHERE xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ?",
                                       arguments: [minX, maxX, minY, maxY]))
            }
            #expect(found.count == expected.count)
            #expect(found == expected)
        }
    }

    @Test func sqliteKeepsWorkingOnAPackedTree() throws {
        let folder = try TemporaryFolder()
        let queue = try Self.tree(folder)
        let entries = Self.entries(5_000, seed: 42)
        var packed = entries
        try queue.write { db in try RTreePacking.rebuild(db, name: "idx", entries: &packed) }
        try queue.write { db in
            try db.execute(sql: "DELETE FROM idx WHERE pkid % 2 = 0")
            for i in 0..<3_000 {
                try db.execute(sql: "INSERT INTO idx VALUES (?, ?, ?, ?, ?)",
                               arguments: [1_000_000 + i, 344_000 + Double(i), 344_000 + Double(i), 5_677_000, 5_677_000])
            }
        }
        #expect(try Self.check(queue) == "ok")
        let remaining = entries.filter { $0.id % 2 != 0 }.count + 3_000
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx") } == remaining)
    }

    @Test func repackingReplacesTheWholeTree() throws {
        let folder = try TemporaryFolder()
        let queue = try Self.tree(folder)
        var first = Self.entries(20_000, seed: 1), second = Self.entries(300, seed: 2)
        try queue.write { db in try RTreePacking.rebuild(db, name: "idx", entries: &first) }
        try queue.write { db in try RTreePacking.rebuild(db, name: "idx", entries: &second) }
        #expect(try Self.check(queue) == "ok")
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx_node") } == 7)  // root + 6 leaves of ≤ 51
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx") } == 300)
    }

    /// A large import packs SpatiaLite's index of the reports: SQLite's rtreecheck and SpatiaLite's
    /// CheckSpatialIndex both accept it.
    @Test func aLargeImportLeavesAnIndexThatSQLiteAndSpatiaLiteAccept() throws {
        let test = try TestStore()
        var csv = "lat,lon,category,time\n"
        var generator = SplitMix(seed: 9)
        for _ in 0..<25_000 {
            csv += "\(51.21 + Double(generator.next() % 30_000) / 1e6),\(6.76 + Double(generator.next() % 40_000) / 1e6),cleanliness/litter,2026-11-27T10:00Z\n"
        }
        let file = test.folder.url.appendingPathComponent("many.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        #expect(try test.store.importReports(from: file).imported == 25_000)
        #expect(try test.store.read { db in try String.fetchOne(db, sql: "SELECT rtreecheck('idx_reports_geom')") } == "ok")
        #expect(try test.store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('reports', 'geom')") } == 1)
    }

    /// An import of 1,000 or more reports beside a table at most eight times its size packs the index anew over old
    /// and new rows alike; a smaller one adds its points one by one (`ReportWriter.packsSpatialIndex`). Either way
    /// SQLite and SpatiaLite accept the index, it holds every report once, and a window finds what a scan finds.
    @Test func importsBesideATableKeepTheIndexWhole() throws {
        let test = try TestStore()
        var generator = SplitMix(seed: 11)
        var added = 0
        for (name, count) in [("first", 3_000), ("beside", 1_200), ("few", 150)] {
            var csv = "id,lat,lon,category,time\n"
            for i in 0..<count {
                csv += "\(name)-\(i),\(51.21 + Double(generator.next() % 30_000) / 1e6),\(6.76 + Double(generator.next() % 40_000) / 1e6),cleanliness/litter,2026-11-27T10:00Z\n"
            }
            let file = test.folder.url.appendingPathComponent("\(name).csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            #expect(try test.store.importReports(from: file).imported == count)
            added += count
            #expect(try test.count() == added)
            #expect(try test.count("SELECT COUNT(*) FROM idx_reports_geom") == added, "\(name)")
            #expect(try test.count("SELECT COUNT(DISTINCT pkid) FROM idx_reports_geom") == added, "\(name)")
            #expect(try test.store.read { db in try String.fetchOne(db, sql: "SELECT rtreecheck('idx_reports_geom')") } == "ok", "\(name)")
            #expect(try test.store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('reports', 'geom')") } == 1, "\(name)")
            let window = "ST_X(geom) BETWEEN 6.77 AND 6.78 AND ST_Y(geom) BETWEEN 51.22 AND 51.23"
            let scanned = try test.count("SELECT COUNT(*) FROM reports WHERE \(window)")
            #expect(scanned > 0)
            #expect(try test.count("""
                SELECT COUNT(*) FROM reports WHERE \(window) AND id IN (SELECT pkid FROM idx_reports_geom
                WHERE xmax >= 6.77 AND xmin <= 6.78 AND ymax >= 51.22 AND ymin <= 51.23)
                """) == scanned, "\(name)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that every run tests the same points.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
