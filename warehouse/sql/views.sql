-- Views for the digest and for the user's own reporting (documented in README.md).
-- Recreated every time the warehouse opens, so they always match the code.

-- One row per message once, however many files, folders or accounts hold it.
CREATE OR REPLACE VIEW unique_messages AS
SELECT m.*, i.person_id AS sender_id, coalesce(p.is_self, false) AS from_self
FROM first_copies m
LEFT JOIN identities i ON i.address = m.from_address
LEFT JOIN people p ON p.person_id = i.person_id;

-- Who took part in each message, one row per person (the user included, flagged).
CREATE OR REPLACE VIEW message_participants AS
SELECT DISTINCT a.account, a.source_id, i.person_id, p.is_self, a.role = 'from' AS is_sender
FROM message_addresses a
JOIN identities i ON i.address = a.address
JOIN people p ON p.person_id = i.person_id;

-- Every contact between the user and a genuine contact (not the user, not an automated sender):
-- a mail either way, or a meeting of at most `meeting_size_limit()` people (rules.sql; a bigger
-- one makes nobody a contact). weight: a meeting `meeting_weight` of its other attendees (1:1 3,
-- falling with size), 1:1 mail 1, group mail 0.5. The mail rows come from `mail_contacts`, the
-- table `refresh_people` rebuilds after every sync (sql/mail_contacts.sql); the meetings are
-- computed here, as the size limit is a setting of each connection.
CREATE OR REPLACE VIEW interactions AS
WITH ident AS (SELECT * FROM address_people),
meeting_people AS (
    SELECT g.account, g.source_id, g.title, g.start_at, g.link, i.person_id, i.is_self, i.genuine,
           coalesce(a.response, 'accepted') AS response
    FROM meetings g
    JOIN meeting_attendees a ON a.account = g.account AND a.source_id = g.source_id
    JOIN ident i ON i.address = a.address
    WHERE g.status <> 'cancelled' AND g.event_type = 'default' AND NOT g.all_day
),
met AS (
    -- others: everyone else on the invite who did not decline, known or not, genuine or not
    SELECT mp.*, count(*) OVER (PARTITION BY mp.account, mp.source_id) AS others
    FROM meeting_people mp
    WHERE NOT mp.is_self AND mp.response <> 'declined'
      AND NOT EXISTS (SELECT 1 FROM meeting_people me
                      WHERE me.account = mp.account AND me.source_id = mp.source_id
                        AND me.is_self AND me.response = 'declined')
)
SELECT person_id, sent_at AS happened_at, 'email' AS kind, direction, others > 1 AS is_group,
       CASE WHEN others > 1 THEN 0.5 ELSE 1.0 END AS weight, account, source_id, thread_id, subject AS title, link
FROM mail_contacts
UNION ALL
SELECT person_id, start_at, 'meeting', 'both', others > 1, meeting_weight(others),
       account, source_id, NULL, title, link
FROM met WHERE genuine AND others + 1 <= meeting_size_limit();

-- One row per genuine contact (not the user, not automated) with their figures up to now, from
-- `contact_figures` (rules.sql), the same definition the digest's reconnect ranking reads; days are
-- the user's (`user_zone`).
CREATE OR REPLACE VIEW relationships AS
SELECT p.person_id, p.display_name, p.primary_address,
       f.first_contact, f.last_contact, f.days_with_contact,
       f.sent_count, f.received_count, f.meeting_count,
       CASE WHEN f.meeting_count > 0 AND least(f.sent_count, f.received_count) = 0 THEN 0.5
            WHEN greatest(f.sent_count, f.received_count) = 0 THEN 1.0
            ELSE round(least(f.sent_count, f.received_count) / greatest(f.sent_count, f.received_count), 3)
       END AS reciprocity,
       f.contact_episodes, f.typical_gap_days, f.days_since_last_contact,
       round(f.strength, 3) AS strength, f.two_way
FROM contact_figures('interactions', local_day(timezone('UTC', now()), user_zone()), timezone('UTC', now()), user_zone()) f
JOIN people p USING (person_id);

-- Each past digest suggestion and whether the user acted on it: their first interaction with that
-- person (mail either way, or a meeting small enough to be a conversation: `interactions`) on a
-- day after the digest's, in the user's time zone, and not ahead of now. Replaces the first
-- version of this view (migration 002), which read any mail naming the person and any meeting,
-- an all-hands of 120 included, and counted days from UTC midnight.
CREATE OR REPLACE VIEW digest_outcomes AS
WITH firsts AS (
    SELECT d.digest_date, d.position, min(i.happened_at) AS first_contact
    FROM digest_items d
    JOIN interactions i ON i.person_id = d.person_id
    WHERE local_day(i.happened_at, user_zone()) > d.digest_date
      AND i.happened_at <= timezone('UTC', now())
    GROUP BY ALL
)
SELECT d.digest_date, d.position, d.section, d.person_id, d.name, d.reason,
       f.first_contact AS acted_at, f.first_contact IS NOT NULL AS acted
FROM digest_items d LEFT JOIN firsts f USING (digest_date, position);
