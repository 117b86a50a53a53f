-- The hand-written SQL that answers what `citymap summary --from FROM --to TO` answers, for tools/bench to time
-- in sqlite3 beside citymap. :start/:end and :pstart/:pend are the period and the previous period (UTC text),
-- :cutoff the overdue threshold; tools/bench substitutes them.
-- Counts by district and category, now and before
SELECT district_id, category, COUNT(*) FROM reports WHERE district_id IS NOT NULL AND observed_at >= :start AND observed_at < :end GROUP BY 1, 2;
SELECT district_id, category, COUNT(*) FROM reports WHERE district_id IS NOT NULL AND observed_at >= :pstart AND observed_at < :pend GROUP BY 1, 2;
-- Still open
SELECT district_id, COUNT(*) FROM reports WHERE district_id IS NOT NULL AND observed_at >= :start AND observed_at < :end
  AND status IN ('open', 'acknowledged', 'in-progress') GROUP BY 1;
-- Squares: scorecard (by category, open) now, totals before, top 5
SELECT r.district_id, a.name, r.category, COUNT(*), SUM(r.status IN ('open', 'acknowledged', 'in-progress'))
  FROM reports r JOIN areas a ON a.id = r.square_id WHERE r.observed_at >= :start AND r.observed_at < :end GROUP BY 1, 2, 3;
SELECT r.district_id, a.name, COUNT(*) FROM reports r JOIN areas a ON a.id = r.square_id
  WHERE r.observed_at >= :pstart AND r.observed_at < :pend GROUP BY 1, 2;
SELECT r.district_id, a.name, COUNT(*) AS n FROM reports r JOIN areas a ON a.id = r.square_id
  WHERE r.observed_at >= :start AND r.observed_at < :end GROUP BY 1, 2 ORDER BY 1, n DESC;
-- Response times: median and 90th percentile (nearest ranks) of hours to first response and to resolution
WITH d AS (
  SELECT r.district_id, r.category,
         (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL))
          - strftime('%s', r.observed_at)) / 3600.0 AS first_h,
         (strftime('%s', (SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.from_status IS NOT NULL AND e.to_status = 'resolved'))
          - strftime('%s', r.observed_at)) / 3600.0 AS resolved_h
  FROM reports r WHERE r.district_id IS NOT NULL AND r.observed_at >= :start AND r.observed_at < :end),
g AS (SELECT district_id, category, first_h AS h, 'first' AS kind FROM d WHERE first_h IS NOT NULL
      UNION ALL SELECT district_id, 'all', first_h, 'first' FROM d WHERE first_h IS NOT NULL
      UNION ALL SELECT district_id, category, resolved_h, 'resolved' FROM d WHERE resolved_h IS NOT NULL
      UNION ALL SELECT district_id, 'all', resolved_h, 'resolved' FROM d WHERE resolved_h IS NOT NULL),
ranked AS (SELECT district_id, category, kind, h,
                  ROW_NUMBER() OVER (PARTITION BY district_id, category, kind ORDER BY h) - 1 AS i,
                  COUNT(*) OVER (PARTITION BY district_id, category, kind) AS n FROM g)
SELECT district_id, category, kind, n,
       AVG(CASE WHEN i IN ((n - 1) / 2, n / 2) THEN h END) AS median,
       MAX(CASE WHEN i = CAST(0.9 * (n - 1) AS INTEGER) THEN h END) AS p90
FROM ranked GROUP BY 1, 2, 3;
-- Overdue: still open, observed before the threshold, oldest first, with the last note
SELECT r.id, r.category, r.subcategory, r.observed_at, r.district_id,
       (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
FROM reports r WHERE r.district_id IS NOT NULL AND r.status = 'open' AND r.observed_at < :cutoff ORDER BY r.observed_at, r.id;
