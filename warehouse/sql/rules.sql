-- Definitions that the views (views.sql) and the digest's named queries (queries/) share, each
-- written once. Recreated whenever kith opens the warehouse, before views.sql, which uses them.
-- A table macro is a view that takes arguments: `SELECT * FROM suggestible_people(DATE '2026-11-20')`.
-- Their parameters are named unlike any column (as_of, signal_kind) so that the two never mix.

-- Copies: a message kept in several files, folders or accounts has a row in each. Rows are copies
-- of one message when they share its Message-ID, sender and sent time; a different message that
-- reuses a Message-ID (anyone can write one) is a message of its own. Whatever counts messages
-- counts each once, by its first copy in (account, source_id) order: `first_copies`, or the same
-- PARTITION BY where a query deduplicates only the rows it needs (`signalled_mail` below,
-- `interactions` in views.sql).
CREATE OR REPLACE VIEW first_copies AS
SELECT * FROM messages
WHERE sent_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY message_id, from_address, sent_at ORDER BY account, source_id) = 1;

-- Each known address with its person: the user (is_self) or a genuine contact (genuine: neither
-- the user nor an automated sender). Who a mail or meeting is with (`interactions` in views.sql,
-- `mail_contacts` in mail_contacts.sql).
CREATE OR REPLACE VIEW address_people AS
SELECT i.address, i.person_id, p.is_self, NOT p.is_self AND NOT p.is_automated AS genuine
FROM identities i JOIN people p USING (person_id);

-- The user's overrides per person (they are stored per address, so a merged person may have
-- several rows): muted if any address is, the longest cadence, the latest snooze.
CREATE OR REPLACE VIEW person_preferences AS
SELECT i.person_id, bool_or(o.muted) AS muted, max(o.cadence_days) AS cadence_days,
       max(o.snoozed_until) AS snoozed_until
FROM person_overrides o JOIN identities i ON i.address = o.address
GROUP BY i.person_id;

-- Evidence from meetings is weighed by their size: the people on the invite who did not decline,
-- the user included. A 1:1 (size 2) weighs 3, and the weight falls with the square root of the
-- number of others (4 others: 1.5, 9 others: 1.0); a meeting of more than `meeting_size_limit()`
-- people (the setting `meetings.size_limit`, default 10) is not a conversation and is no evidence
-- of a tie at all (see `interactions` in views.sql). kith sets the variable when it builds a digest
-- or a report; a connection that has not set it (your own DuckDB shell) gets the default.
CREATE OR REPLACE MACRO meeting_size_limit() AS coalesce(getvariable('kith_meeting_size_limit'), 10)::INTEGER;
CREATE OR REPLACE MACRO meeting_weight(others) AS 3.0 / sqrt(greatest(others, 1));

-- Who may be suggested on `as_of`, in every section of the digest: a genuine contact (not the user,
-- not an automated sender), not muted, and not snoozed through that day.
CREATE OR REPLACE MACRO suggestible_people(as_of) AS TABLE
SELECT p.person_id
FROM people p LEFT JOIN person_preferences o USING (person_id)
WHERE NOT p.is_self AND NOT p.is_automated
  AND NOT coalesce(o.muted, false)
  AND (o.snoozed_until IS NULL OR o.snoozed_until < as_of);

-- The calendar day, in the user's time zone `zone` (an IANA name), of a naive UTC timestamp: the
-- day the user lived it. Every "day" of the digest (windows, days since, episodes) is one of these.
CREATE OR REPLACE MACRO local_day(ts, zone) AS timezone(zone, timezone('UTC', ts))::DATE;

-- The organisation a mail domain belongs to: its last two labels, three under a country's
-- second-level domain (`acme.co.uk`). Hosts of one organisation (`smtp1.stanford.edu`,
-- `smtp2.stanford.edu`, `stanford.edu`) are one organisation: a move between them is no new job.
CREATE OR REPLACE MACRO organisation(domain) AS
    CASE WHEN regexp_matches(domain, '\.(?:co|com|ac|gov|org|net|edu|ne|or)\.[a-z]{2}$')
         THEN regexp_extract(domain, '[^.]*\.[^.]+\.[^.]+$')
         ELSE regexp_extract(domain, '[^.]*\.[^.]+$') END;

-- The user's time zone where no caller passes one (the `relationships` view behind `kith person`):
-- the `kith_zone` variable that kith sets on opening the warehouse, else UTC.
CREATE OR REPLACE MACRO user_zone() AS coalesce(getvariable('kith_zone'), 'UTC');

-- Each person's figures from a table of interactions (`'interactions'`, or the digest's snapshot of
-- it), counting what happened before `cutoff`, as of the day `as_of`, with days in the time zone
-- `zone`:
-- - contact_episodes: runs of contact days at most 2 days apart (a burst of mail counts once) that
--   the user took part in (wrote or met: their unanswered mail sets no rhythm); NULL with none;
-- - typical_gap_days: the median gap between the starts of episodes, rounded half to even, once
--   there are 2 episodes (NULL with one: one conversation has no rhythm);
-- - rhythm: how the relationship's pace is known, and how long a silence is overdue:
--   'usual' (3 episodes or more): past 1.5x the median gap with the silence since the last episode
--   began counted as one more gap (it is one, still running, and at least that long): a few
--   uneven gaps (64, 106, 69 days) then 117 days of quiet is no alarm yet (1.5 x 88, not 1.5 x 69),
--   where eight gaps of 21 days then 77 days of quiet still are (1.5 x 21);
--   'twice' (2 episodes at least a week apart, one gap, weak evidence): past 2x that gap
--   (counting the silence in as well would put the nudge past 3x it);
--   'once' (one episode, or two less than a week apart: one matter, as two mails 4 days apart
--   with a lawyer about a deposition are; with mail both ways in it or a meeting: a conversation,
--   not a memo one way and one the other): past a year, the slowest rhythm a tie keeps;
--   NULL otherwise: no rhythm, never overdue.
--   Shrinking thin histories toward the population's median gap was measured and rejected: people
--   seen only twice are the slow ones, and pulling their gap toward everyone's made false alarms.
-- - overdue_after_days: the silence after which the person is overdue;
-- - strength: the interactions' weights, each decayed by exp(-days ago / 180);
-- - two_way: the user wrote to or met them, and they wrote to or met the user.
CREATE OR REPLACE MACRO contact_figures(contact, as_of, cutoff, zone) AS TABLE
WITH contact_rows AS (
    SELECT *, local_day(happened_at, zone) AS day FROM query_table(contact) WHERE happened_at < cutoff
),
days AS (
    SELECT person_id, day, bool_or(direction <> 'received') AS took_part,
           bool_or(direction = 'sent') AND bool_or(direction = 'received') OR bool_or(direction = 'both') AS exchange
    FROM contact_rows GROUP BY ALL
),
marked AS (
    SELECT person_id, day, took_part, exchange,
           coalesce(day - lag(day) OVER (PARTITION BY person_id ORDER BY day), 9999) > 2 AS starts
    FROM days
),
numbered AS (
    SELECT *, sum(starts::INTEGER) OVER (PARTITION BY person_id ORDER BY day) AS episode FROM marked
),
conversations AS (
    -- the episodes the user took part in (wrote, or met): their unanswered mail sets no rhythm;
    -- `exchange`: mail both ways within the episode, or a meeting
    SELECT person_id, episode, min(day) AS day, bool_or(exchange) AS exchange
    FROM numbered GROUP BY ALL HAVING bool_or(took_part)
),
episodes AS (
    -- gap: from the previous episode's start; gap_so_far: to the next one's, the last running to as_of
    SELECT person_id, count(*) AS episodes, median(gap) AS median_gap, median(gap_so_far) AS median_gap_so_far,
           bool_or(exchange) AS exchanged
    FROM (SELECT person_id, exchange, day - lag(day) OVER (PARTITION BY person_id ORDER BY day) AS gap,
                 coalesce(lead(day) OVER (PARTITION BY person_id ORDER BY day), as_of) - day AS gap_so_far
          FROM conversations)
    GROUP BY person_id
),
contact_days AS (
    SELECT person_id, count(*) AS days_with_contact FROM days GROUP BY person_id
),
figures AS (
    SELECT person_id,
           min(happened_at) AS first_contact,
           max(happened_at) AS last_contact,
           max(day) AS last_day,
           arg_max(kind, happened_at) AS last_kind,
           arg_max(title, happened_at) AS last_title,
           arg_max(link, happened_at) AS last_link,
           max(happened_at) FILTER (WHERE direction <> 'sent') AS last_heard,
           count(*) FILTER (WHERE direction = 'sent') AS sent_count,
           count(*) FILTER (WHERE direction = 'received') AS received_count,
           count(*) FILTER (WHERE kind = 'meeting') AS meeting_count,
           sum(weight * exp(-date_diff('day', day, as_of) / 180.0)) AS strength
    FROM contact_rows GROUP BY person_id
),
rhythms AS (
    SELECT person_id, episodes,
           CASE WHEN episodes >= 2 THEN greatest(1, round_even(median_gap, 0))::INTEGER END AS gap,
           greatest(1, round_even(median_gap_so_far, 0))::INTEGER AS gap_so_far,
           CASE WHEN episodes >= 3 THEN 'usual' WHEN episodes = 2 AND median_gap >= 7 THEN 'twice' WHEN exchanged THEN 'once' END AS rhythm
    FROM episodes
)
SELECT f.* EXCLUDE (last_day), d.days_with_contact, r.episodes AS contact_episodes,
       r.gap AS typical_gap_days, r.rhythm,
       CASE r.rhythm WHEN 'usual' THEN 1.5 * r.gap_so_far WHEN 'twice' THEN 2.0 * r.gap WHEN 'once' THEN 365 END AS overdue_after_days,
       date_diff('day', f.last_day, as_of) AS days_since_last_contact,
       (f.sent_count > 0 OR f.meeting_count > 0) AND (f.received_count > 0 OR f.meeting_count > 0) AS two_way
FROM figures f JOIN contact_days d USING (person_id) LEFT JOIN rhythms r USING (person_id);

-- Signals with `happened_on` as the user's day (time zone `zone`): a signal found in mail is dated
-- by the local day the mail was sent (stored dates are UTC days); one from the calendar keeps its
-- own date.
CREATE OR REPLACE MACRO dated_signals(zone) AS TABLE
SELECT s.* REPLACE (coalesce(local_day(m.sent_at, zone), s.happened_on) AS happened_on)
FROM signals s LEFT JOIN messages m ON m.account = s.account AND m.source_id = s.source_id;

-- Known people as of a digest: anyone in its snapshot of interactions (genuine contacts only).
CREATE OR REPLACE MACRO known_people(contact) AS TABLE
SELECT p.person_id, p.display_name, p.primary_address
FROM people p
WHERE NOT p.is_self AND NOT p.is_automated
  AND p.person_id IN (SELECT person_id FROM query_table(contact));

-- Signals of one kind on mail sent in [since, cutoff), one row per message however many copies
-- exist (a stranger's mail reusing its Message-ID is another message), with the person the signal
-- is about and whether the user sent the message.
CREATE OR REPLACE MACRO signalled_mail(signal_kind, since, cutoff) AS TABLE
SELECT s.account, s.source_id, s.evidence, m.sent_at, coalesce(m.thread_id, m.message_id, m.source_id) AS thread,
       m.message_id, m.subject, m.link, m.recipient_count, i.person_id, p.display_name, p.primary_address,
       (sf.person_id IS NOT NULL) AS from_self
FROM signals s
JOIN messages m ON m.account = s.account AND m.source_id = s.source_id
JOIN identities i ON i.address = s.address
JOIN people p ON p.person_id = i.person_id
LEFT JOIN (SELECT i2.address, i2.person_id FROM identities i2 JOIN people p2 USING (person_id)
           WHERE p2.is_self) sf ON sf.address = m.from_address
WHERE s.kind = signal_kind AND NOT p.is_self AND NOT p.is_automated
  AND m.sent_at < cutoff AND m.sent_at >= since
QUALIFY row_number() OVER (PARTITION BY m.message_id, m.from_address, m.sent_at  -- copies: see first_copies
                           ORDER BY m.account, m.source_id) = 1;

-- Every message sent in [since, cutoff) by thread, and whether the user sent it.
CREATE OR REPLACE MACRO thread_messages(since, cutoff) AS TABLE
SELECT coalesce(m.thread_id, m.message_id, m.source_id) AS thread, m.sent_at,
       coalesce(p.is_self, false) AS from_self
FROM messages m
LEFT JOIN identities i ON i.address = m.from_address
LEFT JOIN people p ON p.person_id = i.person_id
WHERE m.sent_at < cutoff AND m.sent_at >= since;
