-- What `citymap log --lat @lat --lon @lon --category cleanliness/litter` does to the database, in plain SQL for the
-- sqlite3 shell with SpatiaLite: the position projected to EPSG:25832, placed in its district and square, the report
-- and its 'created' event written in one durable transaction (SQLite's defaults: rollback journal, synchronous FULL,
-- as citymap's single-user file), then the likely duplicates (open reports of the category within 25 m, nearest 5).
-- The peer of `tools/bench --tasks calls`, run as
--   sqlite3 FILE ".load mod_spatialite" ".parameter set @lat 51.2275" ".parameter set @lon 6.7711" ".read tools/log-equivalent.sql"
-- It writes what citymap writes except the due time, which citymap computes from the category's response promise.
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
WITH here AS (
  SELECT MakePoint(@lon, @lat, 4326) AS p, ST_Transform(MakePoint(@lon, @lat, 4326), 25832) AS t,
         strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS now
)
INSERT INTO reports (category, subcategory, status, severity, description, observed_at, source, x, y,
                     district_id, square_id, created_at, updated_at, geom)
SELECT 'cleanliness', 'litter', 'open', 'medium', '', now, 'field-walk', ST_X(t), ST_Y(t),
       (SELECT id FROM areas WHERE kind = 'district' AND ST_Contains(geom, p) ORDER BY id LIMIT 1),
       (SELECT id FROM areas WHERE kind = 'square' AND ST_Contains(geom, p) ORDER BY id LIMIT 1),
       now, now, p
FROM here;
INSERT INTO report_events (report_id, at, actor, kind, from_status, to_status, note)
SELECT id, created_at, NULL, 'created', NULL, 'open', 'logged (field-walk)' FROM reports WHERE id = last_insert_rowid();
COMMIT;
WITH here AS (SELECT ST_X(t) AS x, ST_Y(t) AS y FROM (SELECT ST_Transform(MakePoint(@lon, @lat, 4326), 25832) AS t))
SELECT r.id, r.category || '/' || r.subcategory, r.status, r.observed_at,
       round(sqrt((r.x - here.x) * (r.x - here.x) + (r.y - here.y) * (r.y - here.y)), 1) AS metres
FROM here, reports r INDEXED BY reports_open_place
WHERE r.category = 'cleanliness' AND r.subcategory = 'litter' AND r.status IN ('open', 'acknowledged', 'in-progress')
  AND r.x BETWEEN here.x - 25 AND here.x + 25 AND r.y BETWEEN here.y - 25 AND here.y + 25
  AND (r.x - here.x) * (r.x - here.x) + (r.y - here.y) * (r.y - here.y) <= 625
  AND r.id < (SELECT MAX(id) FROM reports)
ORDER BY metres, r.id LIMIT 5;
