-- Digests: what was suggested, when, and why; the next run sees it and whether the user acted.

CREATE TABLE digests (
    digest_date DATE PRIMARY KEY,        -- one digest per day; building a day again replaces it
    built_at    TIMESTAMP NOT NULL,
    item_count  INTEGER NOT NULL,
    new_connections INTEGER NOT NULL DEFAULT 0,  -- people first met in the 7 days before
    text_body   VARCHAR NOT NULL,
    html_body   VARCHAR NOT NULL
);

CREATE TABLE digest_items (
    digest_date      DATE NOT NULL,
    position         INTEGER NOT NULL,
    section          VARCHAR NOT NULL,   -- reconnect, congratulate, reply_owed, awaiting_reply, promise, new_person
    person_id        VARCHAR,
    name             VARCHAR,
    address          VARCHAR,
    reason           VARCHAR NOT NULL,
    last_interaction VARCHAR,
    account          VARCHAR,
    source_id        VARCHAR,
    link             VARCHAR,
    score            DOUBLE,
    PRIMARY KEY (digest_date, position)
);

-- One row per digest and recipient: sent at most once, retried until it is.
CREATE TABLE deliveries (
    digest_date DATE NOT NULL,
    recipient   VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,        -- pending, sending, sent, failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  VARCHAR,
    message_id  VARCHAR,
    sent_at     TIMESTAMP,
    PRIMARY KEY (digest_date, recipient)
);

-- Whether the user acted on a suggestion: the first contact with that person (a mail either way
-- or a meeting that was not cancelled) after the digest day. Base tables only, so it holds
-- whatever order views are created in.
CREATE VIEW digest_outcomes AS
WITH item_addresses AS (
    SELECT d.digest_date, d.position, d.section, d.person_id, i.address
    FROM digest_items d JOIN identities i ON i.person_id = d.person_id
),
mail AS (
    SELECT a.digest_date, a.position, min(m.sent_at) AS first_contact
    FROM item_addresses a
    JOIN message_addresses ma ON ma.address = a.address
    JOIN messages m ON m.account = ma.account AND m.source_id = ma.source_id
    WHERE m.sent_at >= a.digest_date + INTERVAL 1 DAY
    GROUP BY ALL
),
met AS (
    SELECT a.digest_date, a.position, min(g.start_at) AS first_contact
    FROM item_addresses a
    JOIN meeting_attendees t ON t.address = a.address
    JOIN meetings g ON g.account = t.account AND g.source_id = t.source_id
    WHERE g.status <> 'cancelled' AND g.event_type = 'default'
      AND g.start_at >= a.digest_date + INTERVAL 1 DAY AND g.start_at <= now()::TIMESTAMP
    GROUP BY ALL
)
SELECT d.digest_date, d.position, d.section, d.person_id, d.name, d.reason,
       least(mail.first_contact, met.first_contact) AS acted_at,
       least(mail.first_contact, met.first_contact) IS NOT NULL AS acted
FROM digest_items d
LEFT JOIN mail USING (digest_date, position)
LEFT JOIN met USING (digest_date, position);
