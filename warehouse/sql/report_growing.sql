-- Ties grown most: days with contact in the 90 days to $today against the 90 before.
WITH counted AS (
    SELECT person_id,
           count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at >= $today::DATE - INTERVAL 89 DAY) AS recent,
           count(DISTINCT happened_at::DATE) FILTER (WHERE happened_at < $today::DATE - INTERVAL 89 DAY) AS before
    FROM interactions
    WHERE happened_at >= $today::DATE - INTERVAL 179 DAY AND happened_at < $today::DATE + INTERVAL 1 DAY
    GROUP BY person_id
)
SELECT r.display_name, c.before, c.recent, c.recent - c.before AS change
FROM counted c JOIN relationships r USING (person_id)
WHERE c.recent > c.before
ORDER BY change DESC, r.display_name
LIMIT 8;
