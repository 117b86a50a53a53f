-- The same figures as `citymap summary` for both districts, in plain SQL written for speed, for tools/bench to time in
-- sqlite3 beside citymap. :start/:end is the period, :pstart its previous period (UTC text), :cutoff the overdue
-- threshold (10 days); tools/bench substitutes them. It uses what citymap uses: the observed_at index, the response
-- times kept on the report (schema v9) and the partial index of open reports. Agency groups and hotspots are left out
-- (citymap computes them as well, so the comparison favours the SQL).
-- 1. Counts and open counts per district, category and square, both periods in one pass.
SELECT r.district_id, r.category, r.square_id, r.observed_at >= :start AS current, COUNT(*),
       SUM(r.status IN ('open', 'acknowledged', 'in-progress'))
FROM reports r WHERE r.observed_at >= :pstart AND r.observed_at < :end AND r.district_id IN (1, 2) GROUP BY 1, 2, 3, 4;
-- 2. Response times: median and 90th percentile (numpy's linear method) of hours to first response and to resolution,
--    per district for all reports and per category.
WITH d AS (
  SELECT district_id, category,
         (strftime('%s', first_response_at) - strftime('%s', observed_at)) / 3600.0 AS first_h,
         (strftime('%s', resolved_at) - strftime('%s', observed_at)) / 3600.0 AS resolved_h
  FROM reports WHERE observed_at >= :start AND observed_at < :end AND district_id IN (1, 2) AND first_response_at IS NOT NULL),
g AS (SELECT district_id, category, first_h AS h, 'first' AS kind FROM d
      UNION ALL SELECT district_id, 'all', first_h, 'first' FROM d
      UNION ALL SELECT district_id, category, resolved_h, 'resolved' FROM d WHERE resolved_h IS NOT NULL
      UNION ALL SELECT district_id, 'all', resolved_h, 'resolved' FROM d WHERE resolved_h IS NOT NULL),
ranked AS (SELECT district_id, category, kind, h,
                  ROW_NUMBER() OVER (PARTITION BY district_id, category, kind ORDER BY h) - 1 AS i,
                  COUNT(*) OVER (PARTITION BY district_id, category, kind) AS n FROM g)
SELECT district_id, category, kind, MAX(n),
       SUM(CASE WHEN i = CAST(0.5 * (n - 1) AS INTEGER) THEN h END) * (1 - (0.5 * (n - 1) - CAST(0.5 * (n - 1) AS INTEGER)))
         + COALESCE(SUM(CASE WHEN i = CAST(0.5 * (n - 1) AS INTEGER) + 1 THEN h END), 0) * (0.5 * (n - 1) - CAST(0.5 * (n - 1) AS INTEGER)),
       SUM(CASE WHEN i = CAST(0.9 * (n - 1) AS INTEGER) THEN h END) * (1 - (0.9 * (n - 1) - CAST(0.9 * (n - 1) AS INTEGER)))
         + COALESCE(SUM(CASE WHEN i = CAST(0.9 * (n - 1) AS INTEGER) + 1 THEN h END), 0) * (0.9 * (n - 1) - CAST(0.9 * (n - 1) AS INTEGER))
FROM ranked GROUP BY 1, 2, 3;
-- 3. Overdue: how many per district, from the partial index alone, and each district's oldest 20 with the latest note.
SELECT district_id, COUNT(*) FROM reports INDEXED BY reports_open_observed
WHERE status = 'open' AND observed_at < :cutoff GROUP BY 1;
SELECT r.id, r.category, r.subcategory, r.observed_at, r.district_id,
       (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
FROM reports r INDEXED BY reports_open_observed WHERE r.status = 'open' AND r.observed_at < :cutoff AND r.district_id = 1
ORDER BY r.observed_at, r.id LIMIT 20;
SELECT r.id, r.category, r.subcategory, r.observed_at, r.district_id,
       (SELECT e.note FROM report_events e WHERE e.report_id = r.id ORDER BY e.at DESC, e.id DESC LIMIT 1)
FROM reports r INDEXED BY reports_open_observed WHERE r.status = 'open' AND r.observed_at < :cutoff AND r.district_id = 2
ORDER BY r.observed_at, r.id LIMIT 20;
