-- Congratulate (digests/congratulate.py): known people whose mail started coming from a new company
-- domain in the last $recent_days (free mail domains, $freemail, say nothing about a job). The old
-- domain is theirs, or a same-named person's with the same local part (a new address may resolve
-- to a new person), and belongs to another organisation (`organisation` in rules.sql: a move from
-- smtp1.stanford.edu to smtp2.stanford.edu is no new job). The new address is new when it first
-- appears in any header, not just as a sender: one the user has long written to is no news.
-- Only people who may be suggested on $day (the user's day, in $zone).
WITH known AS (
    SELECT * FROM known_people($contact)
),
senders AS (
    SELECT m.from_address AS address, split_part(m.from_address, '@', 1) AS local_part,
           split_part(m.from_address, '@', 2) AS domain, organisation(split_part(m.from_address, '@', 2)) AS org,
           i.person_id,
           min(m.sent_at) AS first_seen, max(m.sent_at) AS last_seen,
           arg_min(m.link, m.sent_at) AS link, arg_min(m.subject, m.sent_at) AS subject
    FROM messages m JOIN identities i ON i.address = m.from_address
    WHERE m.sent_at < $cutoff AND i.person_id IN (SELECT person_id FROM known)
      AND split_part(m.from_address, '@', 2) NOT IN $freemail
    GROUP BY ALL
),
first_headers AS (
    SELECT a.address, min(m.sent_at) AS first_any
    FROM message_addresses a JOIN messages m USING (account, source_id)
    WHERE m.sent_at < $cutoff AND a.address IN (SELECT address FROM senders)
    GROUP BY ALL
),
named AS (
    SELECT s.*, f.first_any, k.display_name FROM senders s JOIN first_headers f USING (address) JOIN known k USING (person_id)
)
SELECT n.person_id, n.display_name, n.address, n.domain, n.first_seen, n.link, n.subject,
       arg_max(o.domain, o.last_seen) AS old_domain
FROM named n JOIN named o
  ON o.org <> n.org AND o.first_seen < n.first_any
 AND (o.person_id = n.person_id
      OR (o.local_part = n.local_part AND strip_accents(lower(o.display_name)) = strip_accents(lower(n.display_name))))
WHERE local_day(n.first_any, $zone) >= $day - to_days($recent_days)
  AND n.person_id IN (SELECT person_id FROM suggestible_people($day))
GROUP BY ALL
ORDER BY n.first_seen, n.person_id
