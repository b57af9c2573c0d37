-- Follow through (digests/follow_through.py), replies owed: a person's question ($kind) to the user, sent in
-- [$since, $ripe), still open: no later message from the user in the thread (for a question put to
-- several people, a later message from anyone settles it), and nothing written to that person since.
-- Only questions put to the user (one of the user's addresses in To, or no To or Cc at all as in a
-- personal Bcc; not a copy, nor mail to others or to a list)
-- by people with a history with the user before the question: the user wrote to them, or met
-- them (a cold sender who writes every month and is never answered is owed nothing).
-- The latest open question per person, oldest first; only people who may be suggested on $day.
SELECT x.person_id, x.display_name, x.primary_address, x.sent_at, x.evidence, x.subject, x.link, x.account,
       x.source_id
FROM signalled_mail($kind, $since, $cutoff) x
WHERE NOT x.from_self AND x.sent_at < $ripe
  AND x.person_id IN (SELECT person_id FROM suggestible_people($day))
  AND (EXISTS (SELECT 1 FROM message_addresses a JOIN identities i ON i.address = a.address
               JOIN people p ON p.person_id = i.person_id
               WHERE a.account = x.account AND a.source_id = x.source_id AND a.role = 'to' AND p.is_self)
       OR NOT EXISTS (SELECT 1 FROM message_addresses a
                      WHERE a.account = x.account AND a.source_id = x.source_id AND a.role IN ('to', 'cc')))
  AND EXISTS (SELECT 1 FROM query_table($contact) h
              WHERE h.person_id = x.person_id AND h.direction IN ('sent', 'both') AND h.happened_at < x.sent_at)
  AND NOT EXISTS (SELECT 1 FROM thread_messages($since, $cutoff) l
                  WHERE l.thread = x.thread AND l.sent_at > x.sent_at
                    AND (l.from_self OR coalesce(x.recipient_count, 1) > 1))
  AND NOT EXISTS (SELECT 1 FROM query_table($contact) i
                  WHERE i.person_id = x.person_id AND i.direction = 'sent'
                    AND i.happened_at > x.sent_at AND i.happened_at < $cutoff)
QUALIFY row_number() OVER (PARTITION BY x.person_id ORDER BY x.sent_at DESC) = 1
ORDER BY x.sent_at, x.person_id
