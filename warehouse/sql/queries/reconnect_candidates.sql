-- Reconnect (digests/reconnect.py): everyone with a real two-way history in the digest's snapshot
-- ($contact) who may be suggested on $day, with the figures the ranking needs. The rhythm's
-- fallbacks (the user's cadence, a closeness tier by strength_rank) are applied in Python.
-- Parameters: $contact, $day, $cutoff (the end of $day), $guard_days.
WITH figures AS (
    SELECT * FROM contact_figures($contact, $day, $cutoff)
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
),
ranked AS (
    -- ranked among all two-way contacts, muted and snoozed ones included, so a mute moves no tier
    SELECT f.*, row_number() OVER (ORDER BY f.strength DESC, f.person_id) AS strength_rank
    FROM figures f WHERE f.two_way
)
SELECT r.person_id, p.display_name, p.primary_address,
       r.last_contact, r.last_kind, r.last_title, r.last_link, r.strength, r.typical_gap_days,
       r.strength_rank, r.days_with_contact, o.cadence_days, coalesce(g.unanswered, 0) AS unanswered,
       s.person_id IS NOT NULL AS recently_suggested, r.days_since_last_contact AS days_since
FROM ranked r
JOIN people p USING (person_id)
LEFT JOIN person_preferences o USING (person_id)
LEFT JOIN ignored g USING (person_id)
LEFT JOIN recently_suggested s USING (person_id)
WHERE r.person_id IN (SELECT person_id FROM suggestible_people($day))
