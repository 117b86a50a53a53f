import Foundation
import GRDB
import Testing
@testable import CityMap

/// Upgrades a database written by the first release of citymap (`Tests/Fixtures/citymap-v1.sqlite`, made by
/// `citymap init`, `log` and `status` at commit 1975f5d; see Tests/Fixtures/README.md) to the current schema.
@Suite("Schema upgrades")
struct MigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/citymap-v1.sqlite")

    /// A copy of the fixture in a temporary folder; the committed file is never opened for writing.
    /// Upgrades the database at `path` to `version` only, and runs `body` in a transaction there: how a file written
    /// by that version is made, to test the migrations after it.
    static func upgrade(_ path: String, upTo version: String, _ body: (Database) throws -> Void) throws {
        let spatiaLite = SpatiaLiteExtension()
        var configuration = Configuration()
        configuration.prepareDatabase { db in try spatiaLite.attach(to: db.sqliteConnection, busy: { _ in false }) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Migrations.migrator.migrate(queue, upTo: version)
        try queue.write(body)
        try queue.close()
    }

    static func copy() throws -> (TemporaryFolder, String) {
        let folder = try TemporaryFolder()
        let path = folder.path("citymap.sqlite")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        return (folder, path)
    }

    @Test func theFixtureIsAtVersionOne() throws {
        let queue = try DatabaseQueue(path: Self.fixture.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let applied = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1 reports, areas, history"])
    }

    @Test func everyReportAndHistoryRowSurvivesTheUpgrade() throws {
        let (folder, path) = try Self.copy()
        _ = folder
        let store = try Store(path: path)
        let applied = try store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
        try #require(applied.count == Migrations.migrator.migrations.count)
        #expect(applied == Migrations.migrator.migrations)

        let reports = try store.reports()
        try #require(reports.count == 3)
        let byID = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0) })
        #expect(byID[1]?.status == .acknowledged && byID[1]?.district?.name == "Innenstadt West" && byID[1]?.square?.name == "Burgplatz")
        #expect(byID[1]?.description == "Scherben am Burgplatz" && byID[1]?.address == nil)
        #expect(byID[2]?.status == .duplicate && byID[2]?.duplicateOf == 1 && byID[2]?.district == nil)
        #expect(byID[3]?.status == .resolved && byID[3]?.district?.name == "Innenstadt Ost")
        // v5 added assignments: none yet, so the default routing applies to every report.
        #expect(reports.allSatisfy { $0.agency == nil && $0.dueAt == nil })
        #expect(try store.read { db in try db.columns(in: "reports").map(\.name) }.suffix(4) == ["agency", "due_at", "first_response_at", "resolved_at"])
        // v7 keeps the city extent in the file: Düsseldorf's for an upgraded database too.
        #expect(try store.extent() == .duesseldorf)

        // v4 told creation events (no previous status) from status changes.
        let events = try (1...3).flatMap { try store.history(of: $0) }
        try #require(events.count == 8)
        #expect(events.filter { $0.kind == .created }.count == 3)
        #expect(events.filter { $0.kind == .status }.count == 5)
        #expect(events.allSatisfy { ($0.kind == .created) == ($0.from == nil) && !$0.isPublic })
        #expect(events.contains { $0.note == "Schild ersetzt" && $0.actor == "office" && $0.to == .resolved })

        #expect(try store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        for table in ["reports", "areas", "walks"] {
            #expect(try store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex(?, 'geom')", arguments: [table]) } == 1, "\(table)")
        }
        for table in ["walks", "report_contacts", "access_tokens"] {
            #expect(try store.read { db in try db.tableExists(table) }, "\(table)")
        }
    }

    @Test func anUpgradedDatabaseTakesNewReportsAndOpensAgainUnchanged() throws {
        let (folder, path) = try Self.copy()
        _ = folder
        do {
            let store = try Store(path: path)
            let code = try store.taxonomy().resolve("cleanliness/litter")
            let logged = try store.log(NewReport(position: try Coordinate(lon: 6.7711, lat: 51.2275), category: code,
                                                 observedAt: try #require(Timestamp.parse("2026-11-27T10:00+01:00"))))
            #expect(logged.report.id == 4)
            #expect(logged.likelyDuplicates.map(\.report.id) == [1])
            try store.close()
        }
        let again = try Store(path: path)
        #expect(try again.reports().count == 4)
        let applied = try again.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") }
        #expect(applied == Migrations.migrator.migrations.count)
    }

    /// v4 adds event kinds: a database written by v3 keeps its history, creation events become `created`,
    /// status changes stay `status`, and the summary's response times still count only the status changes.
    @Test func aVersionThreeHistoryIsUpgradedInPlace() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("v3.sqlite")
        do {
            let store = try Store(path: path, mode: .create)
            _ = try store.setUpFromShippedGeoData()
            // Take the file back to v3: drop what v4 added, as a v3 build would have left it (and v9, which builds on
            // v4's event kinds, so that it runs again after v4).
            try store.write { db in
                try db.execute(sql: """
                    DELETE FROM grdb_migrations WHERE identifier LIKE 'v4%' OR identifier LIKE 'v9%';
                    DROP TRIGGER report_events_responses; DROP INDEX reports_open_observed; DROP INDEX reports_due;
                    ALTER TABLE reports DROP COLUMN first_response_at; ALTER TABLE reports DROP COLUMN resolved_at;
                    DROP TABLE access_tokens; DROP TABLE report_contacts; DROP INDEX reports_client_id;
                    ALTER TABLE reports DROP COLUMN client_id;
                    ALTER TABLE report_events DROP COLUMN public; ALTER TABLE report_events DROP COLUMN kind;
                    """)
                try db.execute(sql: """
                    INSERT INTO reports (id, category, subcategory, observed_at, source, x, y, created_at, updated_at, geom, district_id)
                    VALUES (1, 'cleanliness', 'litter', '2026-11-01T09:00:00Z', 'field-walk', 344374.28, 5677484.77,
                            '2026-11-01T09:00:00Z', '2026-11-01T11:00:00Z', MakePoint(6.7711, 51.2275, 4326),
                            (SELECT id FROM areas WHERE code = 'west'));
                    INSERT INTO report_events (report_id, at, actor, from_status, to_status, note) VALUES
                        (1, '2026-11-01T09:00:00Z', 'Anna', NULL, 'open', 'logged (field-walk)'),
                        (1, '2026-11-01T11:00:00Z', 'CM', 'open', 'acknowledged', 'an AWISTA');
                    UPDATE reports SET status = 'acknowledged' WHERE id = 1;
                    """)
            }
            try store.close()
        }
        let upgraded = try Store(path: path)
        let history = try upgraded.history(of: 1)
        #expect(history.count == 2)
        #expect(history.map(\.kind) == [.created, .status])
        #expect(history.allSatisfy { !$0.isPublic })
        let note = try upgraded.addNote(to: 1, text: "Reinigung für Montag bestellt", actor: "CM", isPublic: true)
        #expect(note.kind == .note && note.from == .acknowledged && note.to == .acknowledged && note.isPublic)
        var request = SummaryRequest(period: try Period.month("2026-11"))
        request.hotspots = 0
        let west = try #require(try upgraded.summary(request).districts.first { $0.district.code == "west" })
        let all = try #require(west.responses.first { $0.label == "all" })
        #expect(all.responded == 1 && all.medianFirstResponse == 2)
    }

    /// An unknown status in the file is an error naming the column and value, not a silent `open`.
    @Test func anUnknownStoredStatusIsAnError() throws {
        let t = try TestStore()
        try t.log(lat: 51.2275, lon: 6.7711)
        try t.store.write { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE reports SET status = 'parked' WHERE id = 1")
        }
        #expect { try t.store.report(id: 1) } throws: { error in
            guard case let StorageError.unreadableValue(_, table, column, value) = error else { return false }
            return table == "reports" && column == "status" && value == "parked"
        }
    }

    /// v6 replaces the walks' LINESTRING column by a MULTILINESTRING one (SpatiaLite cannot change a column's type):
    /// a walk stored by v5 keeps its line, length and name, the spatial index is rebuilt, and new walks may have
    /// several segments.
    @Test func aVersionFiveWalkBecomesAMultiLineString() throws {
        let (folder, path) = try Self.copy()
        _ = folder
        try Self.upgrade(path, upTo: "v5 assignments: the agency that acts and its due date") { db in
            try db.execute(sql: """
                INSERT INTO walks (name, team, started_at, ended_at, length_m, districts, source, external_id, created_at, geom)
                VALUES ('Rundgang West', 'Team West', '2026-11-01T09:00:00Z', '2026-11-01T10:00:00Z', 150.5, 'Innenstadt West',
                        'gpx', 'gpx:1', '2026-11-01T10:00:00Z',
                        ST_GeomFromText('LINESTRING(6.7711 51.2275, 6.7721 51.2280, 6.7731 51.2282)', 4326))
                """)
        }
        let store = try Store(path: path)
        let walks = try store.walks()
        try #require(walks.count == 1)
        #expect(walks[0].name == "Rundgang West" && walks[0].length.value == 150.5 && !walks[0].planned)
        let (text, columns, integrity) = try store.read { db in
            (try String.fetchOne(db, sql: "SELECT AsText(geom) FROM walks"), try db.columns(in: "walks").map(\.name),
             try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(text == "MULTILINESTRING((6.7711 51.2275, 6.7721 51.228, 6.7731 51.2282))")
        #expect(!columns.contains("line_geom") && columns.contains("planned"))
        #expect(integrity == "ok")
        #expect(try store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('walks', 'geom')") } == 1)
        // The index finds the old walk, and a walk of two segments goes in.
        #expect(try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idx_walks_geom WHERE xmin <= 6.772 AND xmax >= 6.772 AND ymin <= 51.228 AND ymax >= 51.228")
        } == 1)
        try store.write { db in
            let writer = try ReportWriter(db: db, projector: try Projector.etrs89UTM32(), areaIndex: try store.areaIndex(db))
            let id = try writer.insertWalk(name: "Pause", team: nil, segments: [
                [try Coordinate(lon: 6.7711, lat: 51.2275), try Coordinate(lon: 6.7712, lat: 51.2276)],
                [try Coordinate(lon: 6.7730, lat: 51.2270), try Coordinate(lon: 6.7731, lat: 51.2271)],
            ], times: [], source: "gpx", externalID: "gpx:2")
            #expect(id != nil)
        }
        #expect(try store.write { db in try Int.fetchOne(db, sql: "SELECT CheckSpatialIndex('walks', 'geom')") } == 1)
    }

    /// v8 gives each stored square the district it overlaps most (shapely 2.2.0 on the shipped outlines, in
    /// EPSG:25832: Graf-Adolf-Platz 80.3 % Ost, 0 % West) and moves reports on a square's outer part into it. The
    /// point 51.2189, 6.7775 lies on Graf-Adolf-Platz but in neither district (shapely: contains → False for both).
    @Test func versionEightCountsReportsOnASquaresOuterPartForItsDistrict() throws {
        let (folder, path) = try Self.copy()
        _ = folder
        try Self.upgrade(path, upTo: "v7 settings: the city extent") { db in
            try db.execute(sql: """
                INSERT INTO reports (category, subcategory, observed_at, source, x, y, district_id, square_id, created_at, updated_at, geom)
                VALUES ('cleanliness', 'litter', '2026-11-01T09:00:00Z', 'cli', 0, 0, NULL,
                        (SELECT id FROM areas WHERE code = 'graf-adolf-platz'), '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z',
                        MakePoint(6.7775, 51.2189, 4326))
                """)
        }
        let store = try Store(path: path)
        let squares = try store.areas(kind: .square)
        try #require(squares.count == 7)
        #expect(squares.first { $0.code == "graf-adolf-platz" }?.district == "ost")
        #expect(squares.first { $0.code == "burgplatz" }?.district == "west")
        let district = try store.read { db in
            try String.fetchOne(db, sql: "SELECT a.code FROM reports r JOIN areas a ON a.id = r.district_id WHERE r.source = 'cli' AND r.x = 0")
        }
        #expect(district == "ost")
    }
}
