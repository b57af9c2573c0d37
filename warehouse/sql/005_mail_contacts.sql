-- The mail part of `interactions` (views.sql), kept as a table: one row per kept message and
-- genuine contact it counts for. Computing it is joining every address of every kept message
-- with identities (at 1 M messages, 3 M address rows: most of a report's time), and it changes
-- only when messages or people do, so `refresh_people` rebuilds it (warehouse/sql/mail_contacts.sql)
-- in the same transaction as people; opening a warehouse fills it after this migration (schema.py).
CREATE TABLE mail_contacts (
    person_id  VARCHAR NOT NULL,   -- the genuine contact (not the user, not automated)
    sent_at    TIMESTAMP NOT NULL,
    direction  VARCHAR NOT NULL,   -- sent (by the user), received (from the contact)
    others     INTEGER NOT NULL,   -- people on the mail besides the user, known or not as genuine
    account    VARCHAR NOT NULL,
    source_id  VARCHAR NOT NULL,
    thread_id  VARCHAR,
    subject    VARCHAR,
    link       VARCHAR
);
