-- The report's weekly series, $since..$today: distinct mails and meetings with genuine contacts,
-- and people first met that week (first contact ever, from `interactions`). Empty weeks included.
WITH weeks AS (
    SELECT unnest(generate_series(date_trunc('week', $since::DATE), date_trunc('week', $today::DATE),
                                  INTERVAL 7 DAY))::DATE AS week
),
contact AS (
    SELECT date_trunc('week', happened_at)::DATE AS week, kind, account, source_id
    FROM interactions
    WHERE happened_at >= $since::DATE AND happened_at < $today::DATE + INTERVAL 1 DAY
),
firsts AS (
    SELECT date_trunc('week', min(happened_at))::DATE AS week, count(*) AS n
    FROM interactions WHERE happened_at < $today::DATE + INTERVAL 1 DAY
    GROUP BY person_id
)
SELECT w.week,
       (SELECT count(DISTINCT (account, source_id)) FROM contact c WHERE c.week = w.week AND kind = 'email') AS mails,
       (SELECT count(DISTINCT (account, source_id)) FROM contact c WHERE c.week = w.week AND kind = 'meeting') AS meetings,
       (SELECT count(*) FROM firsts f WHERE f.week = w.week) AS new_people
FROM weeks w
ORDER BY w.week;
