"""Congratulate: birthdays coming up, and recent new roles, promotions, anniversaries and launches.

Signals are matched to people the user has interacted with: by address, or for a notification
that only names someone (`name:dana kim`, see `digests.signals`) by display name, when exactly
one known person has it. Unknown people are dropped. A contact whose mail recently started coming
from a new company domain is asked about ("Dana now writes from @newco.com: new role?").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb

from kith.digests import wording
from kith.digests.items import DigestItem

RECENT_DAYS = 14  # new roles, promotions, anniversaries, launches, domain changes
BIRTHDAY_AHEAD_DAYS = 3  # birthdays from today to today + 3
FREEMAIL = (
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com",
    "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
    "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "fastmail.com", "hey.com", "mailbox.org",
    "yandex.com", "yandex.ru", "zoho.com", "qq.com", "163.com", "comcast.net", "att.net", "verizon.net",
)
SOURCES = {"linkedin.com": "LinkedIn", "xing.com": "XING"}

# Known people: anyone not the user, not automated, with at least one interaction before the cutoff.
_KNOWN = """
    known AS (
        SELECT p.person_id, p.display_name, p.primary_address
        FROM people p
        WHERE NOT p.is_self AND NOT p.is_automated
          AND p.person_id IN (SELECT person_id FROM __CONTACT__)  -- see digests.build.contact_table
    ),
    by_name AS (
        SELECT strip_accents(lower(display_name)) AS name_key, any_value(person_id) AS person_id
        FROM known WHERE display_name IS NOT NULL
        GROUP BY ALL HAVING count(*) = 1
    )
"""

CONGRATULATE_SQL = f"""
WITH {_KNOWN},
wanted AS (
    SELECT s.* FROM signals s
    WHERE (s.kind = 'birthday' AND s.happened_on BETWEEN $day AND $day + INTERVAL {BIRTHDAY_AHEAD_DAYS} DAY)
       OR (s.kind IN ('new_role', 'promotion', 'work_anniversary', 'launch')
           AND s.happened_on BETWEEN $day - INTERVAL {RECENT_DAYS} DAY AND $day)
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
QUALIFY row_number() OVER (PARTITION BY k.person_id, x.kind ORDER BY x.confidence DESC, x.happened_on DESC,
                                                       x.source_id) = 1
ORDER BY x.happened_on, k.person_id, x.kind
"""

DOMAIN_CHANGE_SQL = f"""
WITH {_KNOWN},
senders AS (
    SELECT m.from_address AS address, split_part(m.from_address, '@', 1) AS local_part,
           split_part(m.from_address, '@', 2) AS domain, i.person_id,
           min(m.sent_at) AS first_seen, max(m.sent_at) AS last_seen,
           arg_min(m.link, m.sent_at) AS link, arg_min(m.subject, m.sent_at) AS subject
    FROM messages m JOIN identities i ON i.address = m.from_address
    WHERE m.sent_at < $cutoff AND i.person_id IN (SELECT person_id FROM known)
      AND split_part(m.from_address, '@', 2) NOT IN $freemail
    GROUP BY ALL
),
named AS (
    SELECT s.*, k.display_name FROM senders s JOIN known k USING (person_id)
)
SELECT n.person_id, n.display_name, n.address, n.domain, n.first_seen, n.link, n.subject,
       arg_max(o.domain, o.last_seen) AS old_domain
FROM named n JOIN named o
  ON o.domain <> n.domain AND o.first_seen < n.first_seen
 AND (o.person_id = n.person_id
      OR (o.local_part = n.local_part AND strip_accents(lower(o.display_name)) = strip_accents(lower(n.display_name))))
WHERE n.first_seen >= $day - INTERVAL {RECENT_DAYS} DAY
GROUP BY ALL
ORDER BY n.first_seen, n.person_id
"""


def congratulate_items(conn: duckdb.DuckDBPyConnection, day: date, *, contact: str | None = None) -> list[DigestItem]:
    """All of today's congratulations: dated signals about known people, then domain changes.
    `contact`: the digest's contact table when the caller has one (see `digests.build.contact_table`)."""
    if contact is None:
        from kith.digests.build import contact_table

        with contact_table(conn, day) as contact:
            return congratulate_items(conn, day, contact=contact)
    cutoff = datetime.combine(day + timedelta(days=1), datetime.min.time())
    items: list[DigestItem] = []
    seen: set[str] = set()
    cursor = conn.execute(CONGRATULATE_SQL.replace("__CONTACT__", contact), {"day": day})
    for (person_id, name, address, kind, happened_on, evidence, company, title, source_address,
         account, source_id, confidence) in cursor.fetchall():
        source = _source(source_address)
        items.append(
            DigestItem(
                section="congratulate",
                person_id=person_id,
                name=name or address,
                address=address,
                reason=wording.congratulate_reason(kind, happened_on, day, source=source, company=company,
                                                   title=title, evidence=evidence),
                score=float(confidence),
                account=account,
                source_id=source_id,
            )
        )
        seen.add(person_id)
    cursor = conn.execute(DOMAIN_CHANGE_SQL.replace("__CONTACT__", contact),
                          {"day": day, "cutoff": cutoff, "freemail": list(FREEMAIL)})
    for person_id, name, address, domain, first_seen, link, subject, _old in cursor.fetchall():
        if person_id in seen:
            continue
        seen.add(person_id)
        items.append(
            DigestItem(
                section="congratulate",
                person_id=person_id,
                name=name or address,
                address=address,
                reason=wording.domain_change_reason(name, domain),
                last_interaction=wording.last_interaction("email", subject, first_seen),
                link=link,
                score=0.5,
            )
        )
    return items


def _source(address: str | None) -> str:
    domain = (address or "").rpartition("@")[2]
    for suffix, label in SOURCES.items():
        if domain == suffix or domain.endswith("." + suffix):
            return label
    return "their email" if address else "calendar"
