-- Rebuild `mail_contacts` (005_mail_contacts.sql), the mail part of `interactions`, from messages,
-- their addresses, identities and people. Run by `refresh_people` after people.sql, in its
-- transaction, and when a warehouse opens after any migration (`DERIVED` in warehouse/schema.py).
-- Built from the messages that can yield a row (sent by the user or by a genuine contact), so the
-- rest of the mailbox, mostly automated mail, is never deduplicated or joined.
DELETE FROM mail_contacts;

INSERT INTO mail_contacts
WITH ident AS (SELECT * FROM address_people),
kept AS (
    -- as `first_copies` (rules.sql), for the mail of the user and genuine contacts only (the sender
    -- is part of what makes a copy, so filtering by sender first keeps every copy of a kept message)
    SELECT m.account, m.source_id, m.from_address, m.sent_at, m.subject, m.link, m.thread_id
    FROM messages m
    WHERE m.sent_at IS NOT NULL
      AND m.from_address IN (SELECT address FROM ident WHERE is_self OR genuine)
    QUALIFY row_number() OVER (PARTITION BY m.message_id, m.from_address, m.sent_at
                               ORDER BY m.account, m.source_id) = 1
),
mail AS (
    SELECT k.account, k.source_id, s.person_id AS sender_id, s.is_self AS from_self, k.sent_at, k.subject, k.link,
           k.thread_id
    FROM kept k JOIN ident s ON s.address = k.from_address
    WHERE s.is_self OR s.genuine
),
parts AS (
    SELECT DISTINCT a.account, a.source_id, i.person_id, i.is_self, i.genuine, a.role = 'from' AS is_sender
    FROM message_addresses a
    JOIN mail USING (account, source_id)
    JOIN ident i ON i.address = a.address
),
counted AS (
    SELECT account, source_id, count(*) AS others FROM parts WHERE NOT is_self GROUP BY ALL
)
SELECT p.person_id, m.sent_at, 'sent', c.others, m.account, m.source_id, m.thread_id, m.subject, m.link
FROM mail m
JOIN parts p USING (account, source_id)
JOIN counted c USING (account, source_id)
WHERE m.from_self AND NOT p.is_self AND NOT p.is_sender AND p.genuine
UNION ALL
SELECT m.sender_id, m.sent_at, 'received', c.others, m.account, m.source_id, m.thread_id, m.subject, m.link
FROM mail m JOIN counted c USING (account, source_id)
WHERE NOT m.from_self;
