-- What `citymap list --near @lat,@lon --radius 50m --limit 20` reads, in plain SQL for the sqlite3 shell with
-- SpatiaLite: the candidates from the reports' R*Tree (a frame 1 % wider than 50 m, as citymap's), the exact
-- distance in EPSG:25832 metres; the first 20 by observation time found as ids, then read whole with their district's
-- and square's names (sorting every candidate's whole row is slower).
-- The peer of `tools/bench --tasks calls`, run as
--   sqlite3 FILE ".load mod_spatialite" ".parameter set @lat 51.2275" ".parameter set @lon 6.7711" ".read tools/near-equivalent.sql"
WITH here AS (
  SELECT ST_X(t) AS x, ST_Y(t) AS y,
         50 / 111132.0 * 1.01 AS dlat, 50 / (111132.0 * max(cos(radians(@lat)), 0.01)) * 1.01 AS dlon
  FROM (SELECT ST_Transform(MakePoint(@lon, @lat, 4326), 25832) AS t)
), hits AS (
  SELECT r.id FROM here, reports r
  WHERE r.id IN (SELECT pkid FROM idx_reports_geom
                 WHERE xmax >= @lon - (SELECT dlon FROM here) AND xmin <= @lon + (SELECT dlon FROM here)
                   AND ymax >= @lat - (SELECT dlat FROM here) AND ymin <= @lat + (SELECT dlat FROM here))
    AND (r.x - here.x) * (r.x - here.x) + (r.y - here.y) * (r.y - here.y) <= 2500
  ORDER BY r.observed_at, r.id LIMIT 20
)
SELECT r.id, r.observed_at, r.category || '/' || r.subcategory, r.status, r.severity, d.name, s.name, r.description
FROM hits JOIN reports r ON r.id = hits.id LEFT JOIN areas d ON d.id = r.district_id LEFT JOIN areas s ON s.id = r.square_id
ORDER BY r.observed_at, r.id;
