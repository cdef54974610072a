-- The analysts' store. Alerts arrive from Kafka (idempotent by alert_id); a case is one card's
-- open alerts; verdicts become labels through an outbox, so a label is published once its case is
-- committed and never lost if Kafka is down at that moment.

CREATE TABLE cases (
    case_id      BIGSERIAL PRIMARY KEY,
    card_token   TEXT        NOT NULL,
    card_display TEXT        NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED')),
    assignee     TEXT,
    opened_at    TIMESTAMPTZ NOT NULL,
    last_alert_at TIMESTAMPTZ NOT NULL,
    alert_count  INTEGER     NOT NULL DEFAULT 0,
    verdict      TEXT CHECK (verdict IN ('CONFIRMED_FRAUD', 'FALSE_POSITIVE')),
    resolved_by  TEXT,
    resolved_at  TIMESTAMPTZ
);
-- At most one unresolved case per card: new alerts of the card join it.
CREATE UNIQUE INDEX cases_one_open_per_card ON cases (card_token) WHERE status = 'OPEN';
CREATE INDEX cases_by_status ON cases (status, last_alert_at DESC, case_id DESC);
CREATE INDEX cases_resolved ON cases (resolved_at) WHERE status = 'RESOLVED';

CREATE TABLE alerts (
    alert_id         TEXT PRIMARY KEY,
    kind             TEXT        NOT NULL,
    card_token       TEXT        NOT NULL,
    card_display     TEXT        NOT NULL,
    authorization_id TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    event_time       TIMESTAMPTZ NOT NULL,
    score            REAL,
    action           TEXT,
    model_version    TEXT,
    amount_minor     BIGINT      NOT NULL,
    currency         TEXT        NOT NULL,
    merchant_id      TEXT        NOT NULL,
    merchant_country TEXT,
    status           TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED')),
    case_id          BIGINT      NOT NULL REFERENCES cases (case_id),
    payload          TEXT        NOT NULL,
    ingested_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The list endpoint pages newest first by (created_at, alert_id); each filter has an index that
-- keeps that order, so a page is an index range scan whatever the table size.
CREATE INDEX alerts_newest ON alerts (created_at DESC, alert_id DESC);
CREATE INDEX alerts_by_status ON alerts (status, created_at DESC, alert_id DESC);
CREATE INDEX alerts_by_card ON alerts (card_token, created_at DESC, alert_id DESC);
CREATE INDEX alerts_by_kind ON alerts (kind, created_at DESC, alert_id DESC);
CREATE INDEX alerts_by_case ON alerts (case_id);
CREATE INDEX alerts_by_authorization ON alerts (authorization_id);

-- Every authorization an alert covers (the trigger and a pattern's other authorizations): what a
-- verdict labels.
CREATE TABLE alert_authorizations (
    alert_id         TEXT        NOT NULL REFERENCES alerts (alert_id),
    authorization_id TEXT        NOT NULL,
    event_time       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (alert_id, authorization_id)
);

CREATE TABLE case_notes (
    note_id    BIGSERIAL PRIMARY KEY,
    case_id    BIGINT      NOT NULL REFERENCES cases (case_id),
    author     TEXT        NOT NULL,
    body       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, note_id);

-- Labels waiting for (or done with) publication on the labels topic; label_id is the contract's id.
CREATE TABLE label_outbox (
    label_id         TEXT PRIMARY KEY,
    authorization_id TEXT        NOT NULL,
    card_token       TEXT        NOT NULL,
    case_id          BIGINT      NOT NULL REFERENCES cases (case_id),
    payload          TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at     TIMESTAMPTZ
);
CREATE INDEX label_outbox_pending ON label_outbox (created_at) WHERE published_at IS NULL;

CREATE TABLE users (
    username      TEXT PRIMARY KEY CHECK (username ~ '^[a-z][a-z0-9._-]{1,31}$'),
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('ANALYST', 'LEAD', 'ADMIN')),
    enabled       BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by    TEXT        NOT NULL
);

-- Who read or wrote what, when, and how it went. Append-only: the trigger refuses any change.
CREATE TABLE audit_log (
    audit_id    BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    username    TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    resource    TEXT        NOT NULL,
    outcome     INTEGER     NOT NULL,
    detail      TEXT
);
CREATE INDEX audit_by_user ON audit_log (username, audit_id DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
