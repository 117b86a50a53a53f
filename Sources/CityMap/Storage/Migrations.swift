import GRDB

/// The schema, as versioned migrations. A migration that has shipped is never edited: add a new one.
///
/// Geometries are registered with `AddGeometryColumn` and indexed with `CreateSpatialIndex`, so QGIS, GDAL
/// (`ogrinfo`) and the `spatialite` CLI see `areas` and `reports` as layers. `InitSpatialMetaData` runs inside
/// the migration's transaction, hence its one-argument form ('NONE': only the two reference systems we use
/// are inserted, which keeps `init` fast).
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 reports, areas, history") { db in
            try db.execute(sql: "SELECT InitSpatialMetaData('NONE')")
            try expectOne(db, "SELECT InsertEpsgSrid(4326)")
            try expectOne(db, "SELECT InsertEpsgSrid(25832)")
            try db.execute(sql: """
                CREATE TABLE categories (
                    category TEXT NOT NULL,
                    subcategory TEXT NOT NULL,
                    label_de TEXT NOT NULL,
                    label_en TEXT NOT NULL,
                    category_label_de TEXT NOT NULL,
                    category_label_en TEXT NOT NULL,
                    color TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    PRIMARY KEY (category, subcategory)
                );
                CREATE TABLE areas (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('district', 'square')),
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    source TEXT,
                    UNIQUE (kind, code)
                );
                CREATE TABLE reports (
                    id INTEGER PRIMARY KEY,
                    category TEXT NOT NULL,
                    subcategory TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'acknowledged', 'in-progress', 'resolved', 'rejected', 'duplicate')),
                    severity TEXT NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'urgent')),
                    description TEXT NOT NULL DEFAULT '',
                    observed_at TEXT NOT NULL,
                    reporter TEXT,
                    source TEXT NOT NULL,
                    external_id TEXT,
                    accuracy_m REAL CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
                    x REAL NOT NULL,
                    y REAL NOT NULL,
                    district_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
                    square_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
                    duplicate_of INTEGER REFERENCES reports(id),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    FOREIGN KEY (category, subcategory) REFERENCES categories(category, subcategory),
                    UNIQUE (source, external_id)
                );
                CREATE TABLE report_events (
                    id INTEGER PRIMARY KEY,
                    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                    at TEXT NOT NULL,
                    actor TEXT,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    note TEXT
                );
                """)
            try expectOne(db, "SELECT AddGeometryColumn('areas', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1)")
            try expectOne(db, "SELECT CreateSpatialIndex('areas', 'geom')")
            try expectOne(db, "SELECT AddGeometryColumn('reports', 'geom', 4326, 'POINT', 'XY', 1)")
            try expectOne(db, "SELECT CreateSpatialIndex('reports', 'geom')")
            try db.execute(sql: """
                CREATE INDEX reports_observed_at ON reports(observed_at);
                CREATE INDEX reports_category ON reports(category, subcategory);
                CREATE INDEX reports_status ON reports(status);
                CREATE INDEX reports_district ON reports(district_id);
                CREATE INDEX report_events_report ON report_events(report_id, at);
                """)
        }
        migrator.registerMigration("v2 walks, addresses, media") { db in
            try db.execute(sql: """
                CREATE TABLE walks (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    team TEXT,
                    started_at TEXT,
                    ended_at TEXT,
                    length_m REAL NOT NULL CHECK (length_m >= 0),
                    districts TEXT NOT NULL DEFAULT '',
                    source TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (source, external_id)
                );
                ALTER TABLE reports ADD COLUMN address TEXT;
                ALTER TABLE reports ADD COLUMN media_url TEXT;
                ALTER TABLE reports ADD COLUMN walk_id INTEGER REFERENCES walks(id) ON DELETE SET NULL;
                CREATE INDEX reports_walk ON reports(walk_id);
                """)
            try expectOne(db, "SELECT AddGeometryColumn('walks', 'geom', 4326, 'LINESTRING', 'XY', 1)")
            try expectOne(db, "SELECT CreateSpatialIndex('walks', 'geom')")
        }
        migrator.registerMigration("v3 keep only selective report indexes") { db in
            // Status, category and district have a handful of values each: SQLite scans rather than use such an
            // index for most filters, yet every bulk import paid for rebuilding them (measured in tools/bench).
            try db.execute(sql: """
                DROP INDEX reports_category;
                DROP INDEX reports_status;
                DROP INDEX reports_district;
                """)
        }
        migrator.registerMigration("v4 service: notes, public notes, client ids, contacts, tokens") { db in
            // History events say what they record, so that a note is never mistaken for a response, and which notes
            // the public may read (Open311 status_notes). Creation events are those without a previous status.
            try db.execute(sql: """
                ALTER TABLE report_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
                    CHECK (kind IN ('created', 'status', 'note'));
                ALTER TABLE report_events ADD COLUMN public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1));
                UPDATE report_events SET kind = 'created' WHERE from_status IS NULL;
                ALTER TABLE reports ADD COLUMN client_id TEXT;
                CREATE UNIQUE INDEX reports_client_id ON reports(client_id) WHERE client_id IS NOT NULL;
                CREATE TABLE report_contacts (
                    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
                    email TEXT,
                    first_name TEXT,
                    last_name TEXT,
                    phone TEXT
                );
                CREATE TABLE access_tokens (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('field', 'office', 'admin')),
                    hash TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                """)
        }
        migrator.registerMigration("v5 assignments: the agency that acts and its due date") { db in
            // The agency's code from GeoData/responsibilities.json; NULL means the default routing applies.
            try db.execute(sql: """
                ALTER TABLE reports ADD COLUMN agency TEXT;
                ALTER TABLE reports ADD COLUMN due_at TEXT;
                """)
        }
        migrator.registerMigration("v6 walks as MultiLineStrings, planned walks") { db in
            // A walk with pauses has several segments: as one LineString it was drawn, and measured, across the gaps.
            // SpatiaLite cannot change a geometry column's type, so the column is replaced and its index rebuilt.
            try expectOne(db, "SELECT DisableSpatialIndex('walks', 'geom')")
            try db.execute(sql: "DROP TABLE idx_walks_geom")
            try expectOne(db, "SELECT DiscardGeometryColumn('walks', 'geom')")
            try db.execute(sql: "ALTER TABLE walks RENAME COLUMN geom TO line_geom")
            try expectOne(db, "SELECT AddGeometryColumn('walks', 'geom', 4326, 'MULTILINESTRING', 'XY', 1)")
            try db.execute(sql: """
                UPDATE walks SET geom = CastToMultiLineString(line_geom);
                ALTER TABLE walks DROP COLUMN line_geom;
                ALTER TABLE walks ADD COLUMN planned INTEGER NOT NULL DEFAULT 0 CHECK (planned IN (0, 1));
                """)
            try expectOne(db, "SELECT CreateSpatialIndex('walks', 'geom')")
        }
        migrator.registerMigration("v7 settings: the city extent") { db in
            // Where imports expect reports. Before v7 it was North Rhine-Westphalia, unless given per import; the
            // city is Düsseldorf, so 50 Köln reports no longer enter without a word.
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO settings (key, value) VALUES ('extent', ?);
                """, arguments: [BoundingBox.duesseldorf.description])
        }
        migrator.registerMigration("v8 squares belong to one district; vacancy register; square checks") { db in
            // A square at a district's edge counted only its inner part for the district (19.7 % of Graf-Adolf-Platz
            // lies outside both): each square now names its district, and reports on it count there.
            try db.execute(sql: "ALTER TABLE areas ADD COLUMN district_code TEXT")
            try db.execute(sql: squareDistrictByOverlap)
            try db.execute(sql: """
                UPDATE reports SET district_id = (
                    SELECT d.id FROM areas s JOIN areas d ON d.kind = 'district' AND d.code = s.district_code WHERE s.id = reports.square_id)
                WHERE square_id IN (SELECT id FROM areas WHERE kind = 'square' AND district_code IS NOT NULL);
                """)
            // Vacant shop units (Leerstand) and their brokering. Owners' contacts live in their own table, which no
            // public output reads.
            try db.execute(sql: """
                CREATE TABLE vacancy_units (
                    id INTEGER PRIMARY KEY,
                    address TEXT NOT NULL,
                    street TEXT NOT NULL,
                    floor TEXT NOT NULL CHECK (floor IN ('ground', 'upper')),
                    area_m2 REAL CHECK (area_m2 IS NULL OR area_m2 > 0),
                    last_use TEXT,
                    lon REAL NOT NULL,
                    lat REAL NOT NULL,
                    district_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
                    square_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
                    state TEXT NOT NULL,
                    state_since TEXT NOT NULL,
                    source TEXT NOT NULL,
                    external_id TEXT,
                    created_at TEXT NOT NULL,
                    UNIQUE (source, external_id)
                );
                CREATE TABLE vacancy_owners (
                    unit_id INTEGER PRIMARY KEY REFERENCES vacancy_units(id) ON DELETE CASCADE,
                    contact TEXT NOT NULL
                );
                CREATE TABLE vacancy_events (
                    id INTEGER PRIMARY KEY,
                    unit_id INTEGER NOT NULL REFERENCES vacancy_units(id) ON DELETE CASCADE,
                    at TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT NOT NULL CHECK (to_state IN ('occupied', 'vacant', 'in-contact', 'marketed', 'interim-use', 're-let', 'demolished')),
                    actor TEXT,
                    note TEXT
                );
                CREATE INDEX vacancy_events_unit ON vacancy_events(unit_id, at, id);
                CREATE TABLE vacancy_enquiries (
                    id INTEGER PRIMARY KEY,
                    wants TEXT NOT NULL,
                    min_m2 REAL,
                    max_m2 REAL,
                    budget TEXT,
                    floor TEXT CHECK (floor IS NULL OR floor IN ('ground', 'upper')),
                    districts TEXT NOT NULL DEFAULT '',
                    received_at TEXT NOT NULL,
                    contact TEXT,
                    actor TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE vacancy_brokering (
                    id INTEGER PRIMARY KEY,
                    enquiry_id INTEGER NOT NULL REFERENCES vacancy_enquiries(id) ON DELETE CASCADE,
                    unit_id INTEGER NOT NULL REFERENCES vacancy_units(id) ON DELETE CASCADE,
                    step TEXT NOT NULL,
                    at TEXT NOT NULL,
                    actor TEXT,
                    note TEXT
                );
                CREATE INDEX vacancy_brokering_enquiry ON vacancy_brokering(enquiry_id, at);
                CREATE INDEX vacancy_brokering_unit ON vacancy_brokering(unit_id, at);
                CREATE TABLE vacancy_report_links (
                    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
                    unit_id INTEGER NOT NULL REFERENCES vacancy_units(id) ON DELETE CASCADE
                );
                CREATE TABLE square_checks (
                    id INTEGER PRIMARY KEY,
                    square_id INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
                    at TEXT NOT NULL,
                    actor TEXT,
                    note TEXT,
                    cleanliness INTEGER NOT NULL CHECK (cleanliness BETWEEN 1 AND 5),
                    seating INTEGER NOT NULL CHECK (seating BETWEEN 1 AND 5),
                    greenery INTEGER NOT NULL CHECK (greenery BETWEEN 1 AND 5),
                    lighting INTEGER NOT NULL CHECK (lighting BETWEEN 1 AND 5),
                    safety INTEGER NOT NULL CHECK (safety BETWEEN 1 AND 5),
                    liveliness INTEGER NOT NULL CHECK (liveliness BETWEEN 1 AND 5),
                    accessibility INTEGER NOT NULL CHECK (accessibility BETWEEN 1 AND 5),
                    created_at TEXT NOT NULL
                );
                CREATE INDEX square_checks_square ON square_checks(square_id, at);
                """)
        }
        migrator.registerMigration("v9 response times and open reports at hand for summaries") { db in
            // The summary's response times read the first status change and the first resolution of every report of
            // the period: two lookups in report_events per report cost 50 s for a year of 1,000,000 reports. They are
            // kept on the report, by a trigger on report_events (every writer of the history goes through it, so they
            // cannot drift), and imports write them with the report. The partial index serves the overdue counts and
            // lists (open reports only, by observation time, with district and category for the thresholds).
            try db.execute(sql: """
                ALTER TABLE reports ADD COLUMN first_response_at TEXT;
                ALTER TABLE reports ADD COLUMN resolved_at TEXT;
                UPDATE reports SET
                    first_response_at = (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = reports.id AND e.kind = 'status'),
                    resolved_at = (SELECT MIN(e.at) FROM report_events e
                                   WHERE e.report_id = reports.id AND e.kind = 'status' AND e.to_status = 'resolved')
                WHERE id IN (SELECT report_id FROM report_events WHERE kind = 'status');
                CREATE TRIGGER report_events_responses AFTER INSERT ON report_events WHEN NEW.kind = 'status'
                BEGIN
                    UPDATE reports SET
                        first_response_at = COALESCE(first_response_at, NEW.at),
                        resolved_at = CASE WHEN NEW.to_status = 'resolved' THEN COALESCE(resolved_at, NEW.at) ELSE resolved_at END
                    WHERE id = NEW.report_id;
                END;
                CREATE INDEX reports_open_observed ON reports(observed_at, district_id, category) WHERE status = 'open';
                CREATE INDEX reports_due ON reports(due_at) WHERE due_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("v10 open reports by category and place, for the duplicate check") { db in
            // `log` names open reports of the same subcategory within 25 m. Through the R*Tree it looked up every
            // report in the box, of any category and status: 15,000 at Burgplatz in a file of 1,000,000. Here the
            // open ones of one subcategory lie in order of x, with y beside it: a strip of 50 m holds a few hundred.
            try db.execute(sql: """
                CREATE INDEX reports_open_place ON reports(category, subcategory, x, y)
                    WHERE status IN ('open', 'acknowledged', 'in-progress');
                """)
        }
        migrator.registerMigration("v11 reports by walk: only those on one") { db in
            // Most reports belong to no walk. The index holds only those that do, so an import leaves it in place
            // (`ReportWriter.setIndexesAside`) instead of rebuilding it over every row; `walk_id = ?` implies
            // `walk_id IS NOT NULL`, so SQLite still answers a walk's reports from it.
            try db.execute(sql: """
                DROP INDEX reports_walk;
                CREATE INDEX reports_walk ON reports(walk_id) WHERE walk_id IS NOT NULL;
                """)
        }
        return migrator
    }

    /// Each square without a district gets the district it overlaps most; a square overlapping none keeps none.
    /// Used by migration v8 and by every import of areas, so it is part of the shipped schema: never edit it, add
    /// another.
    static let squareDistrictByOverlap = """
        UPDATE areas AS s SET district_code = (
            SELECT d.code FROM areas d
            WHERE d.kind = 'district' AND ST_Intersects(d.geom, s.geom) = 1
              AND ST_Area(ST_Intersection(d.geom, s.geom)) = (
                  SELECT MAX(ST_Area(ST_Intersection(e.geom, s.geom))) FROM areas e WHERE e.kind = 'district')
            ORDER BY d.id LIMIT 1)
        WHERE s.kind = 'square' AND s.district_code IS NULL
        """

    /// SpatiaLite's management functions return 1 on success and 0 (with a message on stderr) on failure.
    private static func expectOne(_ db: Database, _ sql: String) throws {
        let result = try Int.fetchOne(db, sql: sql)
        guard result == 1 else { throw StorageError.spatiaLite("\(sql) returned \(result.map(String.init) ?? "NULL")") }
    }
}
