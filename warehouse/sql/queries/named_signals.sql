-- Congratulate (digests/congratulate.py): news a digest on $day may show that only names someone
-- (`name:dana kim`: a notification, a memo, a forward), as in congratulate_signals.sql; the names
-- to resolve to known people, and whether only birthdays name them (a birthday event's title may
-- give a first name alone: "Dana's birthday").
SELECT address, bool_and(kind = 'birthday') AS birthday_only FROM dated_signals($zone)
WHERE address LIKE 'name:%'
  AND ((kind = 'birthday' AND happened_on BETWEEN $day AND $day + to_days($birthday_ahead_days))
       OR (kind IN ('new_role', 'promotion', 'award', 'work_anniversary', 'launch')
           AND happened_on BETWEEN $day - to_days($recent_days) AND $day))
GROUP BY address
ORDER BY address
