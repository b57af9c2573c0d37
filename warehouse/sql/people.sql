-- Rebuild `people` from `identities`: display name (the most used name from mail headers, else
-- calendar attendee names; written as people write it), primary address, self, automated senders.
-- Automated: a machine's address ($automated_local: noreply, mailer-daemon, ...); or, for anyone the
-- user has never written to, bulk headers on most of their mail, a role address ($role_local:
-- news@, info@, ...), mass mail (many recipients, or the user not among them), 20+ messages
-- never answered, or a one-word name that is its domain's ("ERisk" <erisk@email.erisks.com>,
-- "CERA" <webmaster@cera.com>: an organisation, not a person; names of 4+ letters). The rules themselves live in kith.models.automated: the patterns come in as
-- parameters, and `bulk_headers` (registered by warehouse/people.py) holds `is_bulk`'s verdict on
-- each combination of list/bulk headers in `messages`, `written_names` each name's written form.
DELETE FROM people;

INSERT INTO people
WITH self_people AS (
    SELECT DISTINCT person_id FROM identities WHERE evidence = 'user'
),
address_names AS (
    -- the names mail headers give an address; where mail gives none, the names calendars give its
    -- attendee (ICS CN, Google and Graph display names), so that people met only in meetings are
    -- shown by name (from_mail ranks mail's names first). Each as people write it ("Cook,
    -- Lodwrick" is "Lodwrick Cook"): `written_names` (registered by warehouse/people.py) holds
    -- kith.models.names.display_name of every spelling.
    SELECT a.address, w.name, sum(a.uses) AS uses, a.from_mail
    FROM (SELECT address, name, count(*) AS uses, true AS from_mail
          FROM message_addresses WHERE name IS NOT NULL GROUP BY ALL
          UNION ALL
          SELECT address, name, count(*), false
          FROM meeting_attendees WHERE name IS NOT NULL AND name <> '' AND name NOT LIKE '%@%' GROUP BY ALL) a
    JOIN written_names w ON w.raw = a.name
    GROUP BY ALL
),
address_use AS (
    -- each address with how often it appears and its most frequent name (ties: alphabetical)
    SELECT address, coalesce(a.uses, 0) AS uses, n.name
    FROM (SELECT address, count(*) AS uses FROM message_addresses GROUP BY address) a
    FULL JOIN (
        SELECT address, name FROM address_names
        QUALIFY row_number() OVER (PARTITION BY address ORDER BY from_mail DESC, uses DESC, name) = 1
    ) n USING (address)
),
sent_by AS (
    SELECT m.account, m.source_id, i.person_id AS sender, m.recipient_count, b.bulk AS bulk_header
    FROM first_copies m  -- a message kept in two places counts once
    JOIN identities i ON i.address = m.from_address
    JOIN bulk_headers b ON b.has_list_id = (m.list_id IS NOT NULL)
                       AND b.list_unsubscribe IS NOT DISTINCT FROM m.list_unsubscribe
                       AND b.precedence IS NOT DISTINCT FROM m.precedence
                       AND b.auto_submitted IS NOT DISTINCT FROM m.auto_submitted
),
user_recipients AS (
    -- messages in which one of the user's addresses is a To/Cc recipient
    SELECT DISTINCT a.account, a.source_id
    FROM message_addresses a JOIN identities i ON i.address = a.address
    WHERE a.role IN ('to', 'cc') AND i.person_id IN (SELECT person_id FROM self_people)
),
received AS (
    SELECT s.sender AS person_id, count(*) AS n,
           avg(s.bulk_header::INTEGER) AS bulk_share,
           median(s.recipient_count) AS median_recipients,
           avg((u.source_id IS NOT NULL)::INTEGER) AS direct_share
    FROM sent_by s LEFT JOIN user_recipients u USING (account, source_id)
    WHERE s.sender NOT IN (SELECT person_id FROM self_people)
    GROUP BY s.sender
),
written_to AS (
    SELECT DISTINCT i.person_id
    FROM sent_by s
    JOIN message_addresses a ON a.account = s.account AND a.source_id = s.source_id AND a.role <> 'from'
    JOIN identities i ON i.address = a.address
    WHERE s.sender IN (SELECT person_id FROM self_people)
),
patterns AS (
    SELECT person_id,
           bool_or(regexp_matches(split_part(address, '@', 1), $automated_local)) AS strong,
           bool_or(regexp_matches(split_part(address, '@', 1), $role_local)) AS weak
    FROM identities GROUP BY person_id
),
ranked AS (
    SELECT i.person_id, i.address, u.name,
           row_number() OVER (PARTITION BY i.person_id ORDER BY coalesce(u.uses, 0) DESC, i.address) AS address_rank,
           row_number() OVER (PARTITION BY i.person_id
                              ORDER BY u.name IS NULL, coalesce(u.uses, 0) DESC, i.address) AS name_rank
    FROM identities i LEFT JOIN address_use u USING (address)
),
grouped AS (
    -- the person's most used address, and the name of their most used named address
    SELECT person_id,
           coalesce(max(name) FILTER (WHERE name_rank = 1), '') AS display_name,
           max(address) FILTER (WHERE address_rank = 1) AS primary_address,
           count(*) AS address_count
    FROM ranked GROUP BY person_id
),
org_names AS (
    -- each one-word name as letters and digits, beside its address's organisation's name
    SELECT person_id, regexp_replace(lower(display_name), '[^a-z0-9]', '', 'g') AS name_key,
           split_part(organisation(split_part(primary_address, '@', 2)), '.', 1) AS org_label
    FROM grouped WHERE display_name <> '' AND NOT contains(trim(display_name), ' ')
),
classified AS (
    SELECT g.*, sp.person_id IS NOT NULL AS is_self,
           CASE
               WHEN sp.person_id IS NOT NULL THEN NULL
               WHEN p.strong THEN 'address pattern'
               WHEN w.person_id IS NOT NULL THEN NULL
               WHEN r.bulk_share >= 0.5 THEN 'list or bulk headers'
               WHEN p.weak AND r.n >= 1 THEN 'address pattern, never written to'
               WHEN r.n >= 3 AND (r.median_recipients >= 10 OR r.direct_share < 0.5)
                   THEN 'mass mail, never written to'
               WHEN r.n >= 20 THEN 'frequent sender, never written to'
               WHEN r.n >= 1 AND length(o.name_key) >= 4 AND length(o.org_label) >= 4
                    AND (starts_with(o.org_label, o.name_key) OR starts_with(o.name_key, o.org_label))
                   THEN 'named after its domain, never written to'
           END AS reason
    FROM grouped g
    LEFT JOIN self_people sp ON sp.person_id = g.person_id
    LEFT JOIN patterns p ON p.person_id = g.person_id
    LEFT JOIN received r ON r.person_id = g.person_id
    LEFT JOIN written_to w ON w.person_id = g.person_id
    LEFT JOIN org_names o ON o.person_id = g.person_id
)
SELECT person_id, nullif(display_name, ''), primary_address, address_count, is_self,
       reason IS NOT NULL, reason
FROM classified;
