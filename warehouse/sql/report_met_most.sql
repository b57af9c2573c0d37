-- The people met most, $since..$today, by meetings with them.
SELECT r.display_name, count(*) AS meetings
FROM interactions i JOIN relationships r USING (person_id)
WHERE i.kind = 'meeting' AND i.happened_at >= $since::DATE AND i.happened_at < $today::DATE + INTERVAL 1 DAY
GROUP BY i.person_id, r.display_name
ORDER BY meetings DESC, r.display_name
LIMIT 10;
