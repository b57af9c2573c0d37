-- How digest suggestions turned out, per section, $since..$today: acted on (in touch with the
-- person) within 14 days of the digest, from `digest_outcomes`.
SELECT section, count(*) AS suggested,
       count(*) FILTER (WHERE acted_at < digest_date + INTERVAL 15 DAY
                        AND acted_at < $today::DATE + INTERVAL 1 DAY) AS acted_within_14_days
FROM digest_outcomes
WHERE digest_date >= $since::DATE AND digest_date <= $today::DATE
GROUP BY section
ORDER BY section;
