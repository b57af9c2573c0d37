-- Follow through (digests/follow_through.py), people just met: everyone whose first interaction in
-- the digest's snapshot ($contact) was on or after $since, with how it was, whether the user has
-- written to them since, whether they may be suggested on $day, and whether they are a new
-- connection: a two-way exchange of mail (each side wrote) or a meeting, before $cutoff (a meeting
-- past the size limit is no interaction: see `interactions`). An inbound stranger is not a
-- connection. Only the suggestible new connections first met at a meeting become items; every new
-- connection counts for the week.
WITH firsts AS (
    SELECT i.person_id,
           arg_min(i.kind, i.happened_at) AS first_kind, min(i.happened_at) AS first_at,
           arg_min(i.title, i.happened_at) AS first_title, arg_min(i.link, i.happened_at) AS first_link,
           arg_min(i.account, i.happened_at) AS account, arg_min(i.source_id, i.happened_at) AS source_id,
           bool_or(i.kind = 'email' AND i.direction = 'sent') AS wrote_to,
           bool_or(i.kind = 'email' AND i.direction = 'received') AS heard_from,
           bool_or(i.kind = 'meeting') AS met
    FROM query_table($contact) i
    GROUP BY i.person_id
)
SELECT f.person_id, p.display_name, p.primary_address, f.first_kind, f.first_at,
       f.first_title, f.first_link, f.account, f.source_id,
       EXISTS (SELECT 1 FROM query_table($contact) i WHERE i.person_id = f.person_id AND i.direction = 'sent'
                 AND i.happened_at > f.first_at AND i.happened_at < $cutoff) AS written_since,
       f.person_id IN (SELECT person_id FROM suggestible_people($day)) AS suggestible,
       (f.wrote_to AND f.heard_from) OR f.met AS connected
FROM firsts f JOIN people p USING (person_id)
WHERE f.first_at >= $since
ORDER BY f.first_at, f.person_id
