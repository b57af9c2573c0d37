-- Digests: what was suggested, when, and why; the next run sees it and whether the user acted.

CREATE TABLE digests (
    digest_date DATE PRIMARY KEY,        -- one digest per day
    built_at    TIMESTAMP NOT NULL,
    item_count  INTEGER NOT NULL,
    text_body   VARCHAR NOT NULL,
    html_body   VARCHAR NOT NULL
);

CREATE TABLE digest_items (
    digest_date DATE NOT NULL,
    position    INTEGER NOT NULL,
    section     VARCHAR NOT NULL,        -- reconnect, congratulate, reply_owed, awaiting_reply, promise, new_person
    person_id   VARCHAR,
    address     VARCHAR,
    reason      VARCHAR NOT NULL,
    account     VARCHAR,
    source_id   VARCHAR,
    link        VARCHAR,
    score       DOUBLE,
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
