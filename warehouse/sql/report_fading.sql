-- Ties fading most: silence up to $today over the person's own rhythm (`relationships`'
-- typical_gap_days), for people with a rhythm who have gone quiet past it.
WITH last AS (
    SELECT person_id, max(happened_at) AS last_contact
    FROM interactions WHERE happened_at < $today::DATE + INTERVAL 1 DAY GROUP BY person_id
)
SELECT r.display_name, date_diff('day', l.last_contact::DATE, $today::DATE) AS silent_days,
       r.typical_gap_days,
       round(date_diff('day', l.last_contact::DATE, $today::DATE) / r.typical_gap_days, 1) AS times_rhythm
FROM relationships r JOIN last l USING (person_id)
WHERE r.typical_gap_days > 0
  AND date_diff('day', l.last_contact::DATE, $today::DATE) > r.typical_gap_days
ORDER BY times_rhythm DESC, r.display_name
LIMIT 8;
