-- Closeness tiers after Dunbar, by the weeks with contact among the 52 before $today: in touch
-- 26+ weeks (the 5), 12+ (the 15), 4+ (the 50), at least once (the 150).
WITH weeks AS (
    SELECT person_id, count(DISTINCT date_trunc('week', happened_at)) AS weeks
    FROM interactions
    WHERE happened_at >= $today::DATE - INTERVAL 364 DAY AND happened_at < $today::DATE + INTERVAL 1 DAY
    GROUP BY person_id
),
tiers(tier, dunbar, min_weeks) AS (VALUES ('close', 5, 26), ('good', 15, 12), ('regular', 50, 4), ('known', 150, 1))
SELECT t.tier, t.dunbar, t.min_weeks,
       (SELECT count(*) FROM weeks w WHERE w.weeks >= t.min_weeks) AS people
FROM tiers t
ORDER BY t.dunbar;
