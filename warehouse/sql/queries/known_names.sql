-- Congratulate (digests/congratulate.py): every name the headers and calendars give each known
-- person and the user (is_self): display names, `X-From`/`X-To` names, attendee names, one row per
-- (person, address, name); a name is NULL where an address has none. For resolving news that only
-- names someone (digests.name_match.Directory).
WITH wanted AS (
    SELECT person_id, is_self FROM people
    WHERE is_self OR person_id IN (SELECT person_id FROM known_people($contact))
),
named AS (
    SELECT address, name FROM message_addresses WHERE name IS NOT NULL
    UNION SELECT address, name FROM meeting_attendees WHERE name IS NOT NULL
)
SELECT i.person_id, i.address, n.name, w.is_self
FROM identities i JOIN wanted w USING (person_id) LEFT JOIN named n USING (address)
UNION
SELECT p.person_id, p.primary_address, nullif(p.display_name, ''), w.is_self
FROM people p JOIN wanted w USING (person_id)
