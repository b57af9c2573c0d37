-- Mail with each contact, $since..$today: how many you sent and received, and the threads each
-- side opened (the first mail in a thread, by time). One-way: mail only one way in the period.
WITH mail AS (
    SELECT * FROM interactions
    WHERE kind = 'email' AND happened_at >= $since::DATE AND happened_at < $today::DATE + INTERVAL 1 DAY
),
openers AS (
    SELECT person_id, thread_id, arg_min(direction, happened_at) AS opened_by
    FROM mail WHERE thread_id IS NOT NULL GROUP BY ALL
)
SELECT r.display_name, m.sent, m.received,
       coalesce(o.you_opened, 0) AS you_opened, coalesce(o.they_opened, 0) AS they_opened,
       CASE WHEN m.received = 0 THEN 'you only' WHEN m.sent = 0 THEN 'they only' END AS one_way
FROM (SELECT person_id, count(*) FILTER (WHERE direction = 'sent') AS sent,
             count(*) FILTER (WHERE direction = 'received') AS received
      FROM mail GROUP BY person_id) m
JOIN relationships r USING (person_id)
LEFT JOIN (SELECT person_id, count(*) FILTER (WHERE opened_by = 'sent') AS you_opened,
                  count(*) FILTER (WHERE opened_by = 'received') AS they_opened
           FROM openers GROUP BY person_id) o USING (person_id)
ORDER BY m.sent + m.received DESC, r.display_name;
