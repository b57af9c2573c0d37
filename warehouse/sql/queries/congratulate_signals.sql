-- Congratulate (digests/congratulate.py): dated signals about known people who may be suggested on
-- $day: birthdays from $day to $day + $birthday_ahead_days, new roles, promotions, anniversaries and
-- launches from the last $recent_days. A notification that only names someone (`name:dana kim`)
-- goes to the one known person with that display name, and to nobody when several have it.
-- One signal per person and kind: the surest, then the latest.
WITH known AS (
    SELECT * FROM known_people($contact)
),
by_name AS (
    SELECT strip_accents(lower(display_name)) AS name_key, any_value(person_id) AS person_id
    FROM known WHERE display_name IS NOT NULL
    GROUP BY ALL HAVING count(*) = 1
),
wanted AS (
    SELECT s.* FROM signals s
    WHERE (s.kind = 'birthday' AND s.happened_on BETWEEN $day AND $day + to_days($birthday_ahead_days))
       OR (s.kind IN ('new_role', 'promotion', 'work_anniversary', 'launch')
           AND s.happened_on BETWEEN $day - to_days($recent_days) AND $day)
),
matched AS (
    SELECT w.*, coalesce(i.person_id, n.person_id) AS person_id, m.from_address AS source_address
    FROM wanted w
    LEFT JOIN identities i ON i.address = w.address AND w.address NOT LIKE 'name:%'
    LEFT JOIN by_name n ON w.address LIKE 'name:%' AND n.name_key = strip_accents(substr(w.address, 6))
    LEFT JOIN messages m ON m.account = w.account AND m.source_id = w.source_id
)
SELECT k.person_id, k.display_name, k.primary_address, x.kind, x.happened_on, x.evidence, x.company,
       x.title, x.source_address, x.account, x.source_id, x.confidence
FROM matched x JOIN known k USING (person_id)
WHERE k.person_id IN (SELECT person_id FROM suggestible_people($day))
QUALIFY row_number() OVER (PARTITION BY k.person_id, x.kind ORDER BY x.confidence DESC, x.happened_on DESC,
                                                       x.source_id) = 1
ORDER BY x.happened_on, k.person_id, x.kind
