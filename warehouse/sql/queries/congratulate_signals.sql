-- Congratulate (digests/congratulate.py): dated signals about known people who may be suggested on
-- $day: birthdays from $day to $day + $birthday_ahead_days, new roles, promotions, awards,
-- anniversaries and launches from the last $recent_days. News that only names someone
-- (`name:dana kim`) goes to the person digests/congratulate.py resolved the name to ($names:
-- address, person_id; see named_signals.sql and known_names.sql). News the user has already
-- answered (a `congratulated` signal about that person, on the day of the news or later) is done,
-- and news is news once: a new role or promotion at the same company (or with the same title) that
-- the person's own mail already told before the window ("I've joined CRA" again, seven weeks later)
-- is not shown again.
-- Days are the user's ($zone; see `dated_signals`).
-- One signal per person and kind: the surest, then the latest.
WITH known AS (
    SELECT * FROM known_people($contact)
),
wanted AS (
    SELECT s.* FROM dated_signals($zone) s
    WHERE (s.kind = 'birthday' AND s.happened_on BETWEEN $day AND $day + to_days($birthday_ahead_days))
       OR (s.kind IN ('new_role', 'promotion', 'award', 'work_anniversary', 'launch')
           AND s.happened_on BETWEEN $day - to_days($recent_days) AND $day)
),
matched AS (
    SELECT w.*, coalesce(i.person_id, n.person_id) AS person_id, m.from_address AS source_address,
           sp.display_name AS source_name
    FROM wanted w
    LEFT JOIN identities i ON i.address = w.address AND w.address NOT LIKE 'name:%'
    LEFT JOIN query_table($names) n ON n.address = w.address
    LEFT JOIN messages m ON m.account = w.account AND m.source_id = w.source_id
    LEFT JOIN identities si ON si.address = m.from_address
    LEFT JOIN people sp ON sp.person_id = si.person_id
),
told AS (
    SELECT i.person_id, s.kind, lower(coalesce(s.company, s.title)) AS what
    FROM dated_signals($zone) s JOIN identities i ON i.address = s.address
    WHERE s.kind IN ('new_role', 'promotion') AND coalesce(s.company, s.title) IS NOT NULL
      AND s.happened_on < $day - to_days($recent_days)
    GROUP BY ALL
),
answered AS (
    -- the last day the user's own mail congratulated each person
    SELECT i.person_id, max(c.happened_on) AS day
    FROM dated_signals($zone) c JOIN identities i ON i.address = c.address
    WHERE c.kind = 'congratulated' AND c.happened_on <= $day
    GROUP BY ALL
)
SELECT k.person_id, k.display_name, k.primary_address, x.kind, x.happened_on, x.evidence, x.company,
       x.title, x.source_address, x.source_name, x.address AS signal_address, x.account, x.source_id,
       x.confidence
FROM matched x JOIN known k USING (person_id)
WHERE k.person_id IN (SELECT person_id FROM suggestible_people($day))
  AND (x.kind = 'birthday'
       OR NOT EXISTS (SELECT 1 FROM answered a WHERE a.person_id = k.person_id AND a.day >= x.happened_on))
  AND NOT EXISTS (SELECT 1 FROM told t WHERE t.person_id = k.person_id AND t.kind = x.kind
                                         AND t.what = lower(coalesce(x.company, x.title)))
QUALIFY row_number() OVER (PARTITION BY k.person_id, x.kind ORDER BY x.confidence DESC, x.happened_on DESC,
                                                       x.source_id) = 1
ORDER BY x.happened_on, k.person_id, x.kind
