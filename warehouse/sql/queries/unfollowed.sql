-- Follow through (digests/follow_through.py), the user's own questions (awaiting a reply) and promises
-- ($kind), sent in [$since, $ripe), with nothing after them in the thread: no answer yet to the
-- question; for a promise, a later message from the user may be the delivery, and a reply from the
-- other side usually closes the matter ("Thanks, that's perfect").
-- The latest per person, oldest first; only people who may be suggested on $day.
SELECT x.person_id, x.display_name, x.primary_address, x.sent_at, x.evidence, x.subject, x.link, x.account,
       x.source_id
FROM signalled_mail($kind, $since, $cutoff) x
WHERE x.from_self AND x.sent_at < $ripe
  AND x.person_id IN (SELECT person_id FROM suggestible_people($day))
  AND NOT EXISTS (SELECT 1 FROM thread_messages($since, $cutoff) l WHERE l.thread = x.thread AND l.sent_at > x.sent_at)
QUALIFY row_number() OVER (PARTITION BY x.person_id ORDER BY x.sent_at DESC) = 1
ORDER BY x.sent_at, x.person_id
