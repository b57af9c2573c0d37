-- Reconnect (digests/reconnect.py): everyone with a real two-way history in the digest's snapshot
-- ($contact) who may be suggested on $day, with the figures the ranking needs. The rhythm is
-- `contact_figures`' (rules.sql), the one `kith person` shows; the user's own cadence wins over it
-- and is due as soon as it is passed. Days are the user's ($zone).
-- Parameters: $contact, $day, $cutoff (the end of $day in $zone), $zone, $guard_days.
WITH figures AS (
    SELECT * FROM contact_figures($contact, $day, $cutoff, $zone) WHERE two_way
),
ignored AS (
    -- the user's messages since the person was last heard from
    SELECT c.person_id, count(*) AS unanswered
    FROM query_table($contact) c JOIN figures f USING (person_id)
    WHERE c.direction = 'sent' AND c.happened_at > coalesce(f.last_heard, TIMESTAMP '1900-01-01')
    GROUP BY c.person_id
),
recently_suggested AS (
    SELECT DISTINCT person_id FROM digest_items
    WHERE person_id IS NOT NULL AND digest_date < $day AND digest_date >= $day - to_days($guard_days)
)
SELECT f.person_id, p.display_name, p.primary_address,
       f.last_contact, f.last_kind, f.last_title, f.last_link, f.strength,
       coalesce(o.cadence_days, f.typical_gap_days, f.overdue_after_days)::INTEGER AS gap_days,
       CASE WHEN o.cadence_days IS NOT NULL THEN 'pinned' ELSE f.rhythm END AS basis,
       coalesce(o.cadence_days, f.overdue_after_days) AS overdue_after_days,
       coalesce(g.unanswered, 0) AS unanswered,
       s.person_id IS NOT NULL AS recently_suggested, f.days_since_last_contact AS days_since
FROM figures f
JOIN people p USING (person_id)
LEFT JOIN person_preferences o USING (person_id)
LEFT JOIN ignored g USING (person_id)
LEFT JOIN recently_suggested s USING (person_id)
WHERE f.person_id IN (SELECT person_id FROM suggestible_people($day))
  AND coalesce(o.cadence_days, f.overdue_after_days) IS NOT NULL  -- no conversation yet: no rhythm
