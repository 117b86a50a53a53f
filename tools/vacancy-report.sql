-- The Leerstand figures of `citymap vacancy report` in plain SQL, written for speed: the peer of tools/bench-vacancy.
--
--   sqlite3 DB -cmd ".parameter set :at '2026-06-30T22:00:00Z'" -cmd ".parameter set :prev '2026-05-31T22:00:00Z'" \
--              -cmd ".parameter set :earlier '2026-04-30T22:00:00Z'" < tools/vacancy-report.sql
--
-- Same definitions as Summaries/VacancyFigures.swift: state at a moment = the unit's latest event before it
-- (SQLite's bare-column MAX, one index seek per unit on vacancy_events(unit_id, at, id)); vacant = vacant,
-- in-contact, marketed; a vacancy begins at a vacant event whose previous state is none, occupied or re-let; the run
-- of a vacant unit begins at its latest vacant event whose previous state was not vacant; months of 30.44 days;
-- percentiles by numpy's linear method. One row per group (all, district, street).
WITH
flagged AS (
    SELECT unit_id, at, to_state,
           to_state IN ('vacant', 'in-contact', 'marketed') AS is_vacant,
           LAG(to_state) OVER (PARTITION BY unit_id ORDER BY at, id) AS before
    FROM vacancy_events WHERE at < :at
),
starts AS (  -- vacancies beginning
    SELECT unit_id, at FROM flagged WHERE is_vacant AND (before IS NULL OR before IN ('occupied', 're-let'))
),
runs AS (    -- runs of vacant states beginning
    SELECT unit_id, MAX(at) AS at FROM flagged
    WHERE is_vacant AND (before IS NULL OR before NOT IN ('vacant', 'in-contact', 'marketed')) GROUP BY unit_id
),
now_state AS (SELECT unit_id, to_state AS state, MAX(at) FROM vacancy_events WHERE at < :at GROUP BY unit_id),
prev_state AS (SELECT unit_id, to_state AS state, MAX(at) FROM vacancy_events WHERE at < :prev GROUP BY unit_id),
units AS (
    SELECT u.id, COALESCE(d.name, '') AS district, u.street, n.state AS now, p.state AS prev
    FROM vacancy_units u JOIN now_state n ON n.unit_id = u.id LEFT JOIN prev_state p ON p.unit_id = u.id
    LEFT JOIN areas d ON d.id = u.district_id
),
relets AS (
    SELECT f.unit_id, f.at >= :prev AS current,
           (strftime('%s', f.at) - strftime('%s', (SELECT MAX(s.at) FROM starts s WHERE s.unit_id = f.unit_id AND s.at < f.at)))
               / 2629746.0 AS months
    FROM flagged f WHERE f.to_state = 're-let' AND f.at >= :earlier
),
vacant_for AS (
    SELECT n.id, (strftime('%s', :at) - strftime('%s', r.at)) / 2629746.0 AS months
    FROM units n JOIN runs r ON r.unit_id = n.id WHERE n.now IN ('vacant', 'in-contact', 'marketed')
),
grouped AS (  -- every unit in three groups
    SELECT 'all' AS kind, 'all units' AS label, id FROM units
    UNION ALL SELECT 'district', district, id FROM units WHERE district != ''
    UNION ALL SELECT 'street', street, id FROM units
),
counts AS (
    SELECT g.kind, g.label,
           SUM(u.now != 'demolished') AS units, SUM(u.now IN ('vacant', 'in-contact', 'marketed')) AS vacant,
           SUM(u.now = 'interim-use') AS interim,
           SUM(u.prev IS NOT NULL AND u.prev != 'demolished') AS prev_units,
           SUM(u.prev IN ('vacant', 'in-contact', 'marketed')) AS prev_vacant
    FROM grouped g JOIN units u ON u.id = g.id GROUP BY 1, 2
),
samples AS (  -- (group, which, value) for the percentiles
    SELECT g.kind, g.label, 'vacant_for' AS which, v.months AS value FROM grouped g JOIN vacant_for v ON v.id = g.id
    UNION ALL
    SELECT g.kind, g.label, 're_let', r.months FROM grouped g JOIN relets r ON r.unit_id = g.id WHERE r.current AND r.months IS NOT NULL
),
ranked AS (
    SELECT kind, label, which, value, ROW_NUMBER() OVER w - 1 AS k, COUNT(*) OVER (PARTITION BY kind, label, which) AS n
    FROM samples WINDOW w AS (PARTITION BY kind, label, which ORDER BY value)
),
spread AS (
    SELECT kind, label, which, MAX(n) AS n,
           -- numpy linear: rank r = p (n - 1); value = v[floor r] + (v[ceil r] - v[floor r]) (r - floor r)
           SUM(CASE WHEN k = CAST(0.5 * (n - 1) AS INTEGER) THEN value END) * (1 - (0.5 * (n - 1) - CAST(0.5 * (n - 1) AS INTEGER)))
             + COALESCE(SUM(CASE WHEN k = CAST(0.5 * (n - 1) AS INTEGER) + 1 THEN value END), 0) * (0.5 * (n - 1) - CAST(0.5 * (n - 1) AS INTEGER)) AS median,
           SUM(CASE WHEN k = CAST(0.9 * (n - 1) AS INTEGER) THEN value END) * (1 - (0.9 * (n - 1) - CAST(0.9 * (n - 1) AS INTEGER)))
             + COALESCE(SUM(CASE WHEN k = CAST(0.9 * (n - 1) AS INTEGER) + 1 THEN value END), 0) * (0.9 * (n - 1) - CAST(0.9 * (n - 1) AS INTEGER)) AS p90
    FROM ranked GROUP BY 1, 2, 3
),
fell AS (
    SELECT g.kind, g.label, SUM(s.at >= :prev) AS now, SUM(s.at < :prev) AS before
    FROM grouped g JOIN starts s ON s.unit_id = g.id WHERE s.at >= :earlier GROUP BY 1, 2
)
SELECT c.kind, c.label, c.units, c.vacant, ROUND(1.0 * c.vacant / NULLIF(c.units, 0), 4) AS vacancy_rate, c.interim,
       ROUND(1.0 * c.prev_vacant / NULLIF(c.prev_units, 0), 4) AS previous_rate,
       ROUND(v.median, 2) AS vacant_months_median, ROUND(v.p90, 2) AS vacant_months_p90,
       COALESCE(r.n, 0) AS re_let, ROUND(r.median, 2) AS months_to_re_let_median, ROUND(r.p90, 2) AS months_to_re_let_p90,
       COALESCE(f.now, 0) AS fell_vacant
FROM counts c
LEFT JOIN spread v ON v.kind = c.kind AND v.label = c.label AND v.which = 'vacant_for'
LEFT JOIN spread r ON r.kind = c.kind AND r.label = c.label AND r.which = 're_let'
LEFT JOIN fell f ON f.kind = c.kind AND f.label = c.label
ORDER BY c.kind, c.label;
