-- The report by mail (`[report] every` in kith.toml): one row per period and recipient, the same
-- ledger as `deliveries` (pending, sending, sent, failed), so each period's report goes out once.
CREATE TABLE report_deliveries (
    period_start DATE NOT NULL,          -- the period's first day: the day, the week's Monday, the month's 1st
    recipient    VARCHAR NOT NULL,
    method       VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,       -- pending, sending, sent, failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   VARCHAR,
    message_id   VARCHAR,
    sent_at      TIMESTAMP,
    PRIMARY KEY (period_start, recipient)
);
