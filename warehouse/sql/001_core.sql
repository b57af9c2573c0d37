-- Core tables. Times are naive UTC. Source tables are keyed on the source's natural key, so a
-- replayed batch changes nothing; derived tables (identities, people) are rebuilt after a sync;
-- user tables (person_overrides, identity_links) are never touched by a sync.

CREATE TABLE accounts (
    name            VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,
    first_synced_at TIMESTAMP,
    last_synced_at  TIMESTAMP
);

-- One row per stream (file, folder, calendar): the cursor that holds for what is stored.
CREATE TABLE sync_state (
    account        VARCHAR NOT NULL,
    stream         VARCHAR NOT NULL,
    cursor         JSON,
    last_full_sync TIMESTAMP,
    last_success   TIMESTAMP,
    PRIMARY KEY (account, stream)
);

-- Unique on (account, source_id), kept so by warehouse/load.py (delete, then insert) rather than by
-- a PRIMARY KEY: maintaining that index cost a quarter of ingest time.
CREATE TABLE messages (
    account          VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,   -- Message-ID for files, UIDVALIDITY/UID for IMAP, ...
    stream           VARCHAR NOT NULL,
    message_id       VARCHAR,
    in_reply_to      VARCHAR,
    thread_id        VARCHAR,
    subject          VARCHAR,            -- NULL in privacy mode "metadata"
    sent_at          TIMESTAMP,
    from_address     VARCHAR,
    recipient_count  INTEGER,
    folder           VARCHAR,
    list_id          VARCHAR,
    list_unsubscribe BOOLEAN,
    precedence       VARCHAR,
    auto_submitted   VARCHAR,
    link             VARCHAR
);

-- Every address of a message; replaced with its message.
CREATE TABLE message_addresses (
    account   VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    role      VARCHAR NOT NULL,           -- from, to, cc, bcc
    position  SMALLINT NOT NULL,
    address   VARCHAR NOT NULL,
    name      VARCHAR
);

CREATE TABLE meetings (
    account           VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL,   -- UID + instance, or the source's own event id
    stream            VARCHAR NOT NULL,
    ical_uid          VARCHAR,
    recurrence_id     TIMESTAMP,
    calendar          VARCHAR,
    title             VARCHAR,
    start_at          TIMESTAMP NOT NULL,
    end_at            TIMESTAMP,
    all_day           BOOLEAN NOT NULL,
    status            VARCHAR NOT NULL,   -- confirmed, tentative, cancelled
    organizer_address VARCHAR,
    event_type        VARCHAR NOT NULL,   -- default, birthday, ...
    link              VARCHAR,
    PRIMARY KEY (account, source_id)
);

CREATE TABLE meeting_attendees (
    account      VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    position     SMALLINT NOT NULL,
    address      VARCHAR NOT NULL,
    name         VARCHAR,
    response     VARCHAR,
    is_organizer BOOLEAN NOT NULL,
    is_optional  BOOLEAN NOT NULL
);

-- Dated facts found in mail and calendars (birthdays, new roles, questions, promises, ...).
CREATE TABLE signals (
    account     VARCHAR NOT NULL,
    source_id   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    address     VARCHAR NOT NULL,
    happened_on DATE NOT NULL,
    evidence    VARCHAR,
    confidence  DOUBLE NOT NULL,
    company     VARCHAR,
    title       VARCHAR,
    PRIMARY KEY (account, source_id, kind, address)
);

-- What a connector could not use, with the reason: reported, never silently dropped.
CREATE TABLE skipped_records (
    account  VARCHAR NOT NULL,
    stream   VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL,
    seen_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (account, location)
);

-- Derived: address -> person, rebuilt after every sync from the headers and identity_links.
CREATE TABLE identities (
    address    VARCHAR PRIMARY KEY,
    person_id  VARCHAR NOT NULL,
    normalized VARCHAR NOT NULL,
    evidence   VARCHAR NOT NULL          -- why this address belongs to this person
);

CREATE TABLE people (
    person_id        VARCHAR PRIMARY KEY,
    display_name     VARCHAR,
    primary_address  VARCHAR NOT NULL,
    address_count    INTEGER NOT NULL,
    is_self          BOOLEAN NOT NULL,
    is_automated     BOOLEAN NOT NULL,
    automated_reason VARCHAR
);

-- User data: survives every resync. Keyed by address so a rebuilt person keeps it.
CREATE TABLE person_overrides (
    address       VARCHAR PRIMARY KEY,
    muted         BOOLEAN NOT NULL DEFAULT false,
    cadence_days  INTEGER,
    snoozed_until DATE,
    updated_at    TIMESTAMP NOT NULL
);

-- User data: `kith merge A B` and `kith split A`.
CREATE TABLE identity_links (
    address_a  VARCHAR NOT NULL,
    address_b  VARCHAR,                  -- NULL for a split
    kind       VARCHAR NOT NULL,         -- merge, split
    created_at TIMESTAMP NOT NULL
);
