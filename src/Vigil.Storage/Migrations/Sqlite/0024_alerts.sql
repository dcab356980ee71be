-- Alerts (issue 18): the channels each organisation sends alerts to, the conditions alerts were raised for (so each
-- goes out once per change), and the delivery log. PostgreSQL's 0009 has the same tables and columns.

-- A channel's full URL, webhook signing secret or SMTP password is sealed like a connection credential: AES-256-GCM
-- under the master key, associated data "alert-channel " || id. target is what may be shown (the URL's path redacted).
CREATE TABLE alert_channels (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
    target          TEXT NOT NULL,
    signed          INTEGER NOT NULL,     -- 1 when webhook bodies are signed
    smtp            TEXT,                 -- JSON: SmtpSettings of an email channel
    created_at      TEXT NOT NULL,
    scheme          TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    sealed          BLOB NOT NULL,
    position        INTEGER NOT NULL,   -- order added, within the organisation
    PRIMARY KEY (organisation_id, id)
);

-- What held at the last evaluation: an alert goes out when a condition appears or changes, never again while it holds.
CREATE TABLE alert_conditions (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    key             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    since           TEXT NOT NULL,
    PRIMARY KEY (organisation_id, key)
);

-- One row per alert and channel (channel_id NULL: no channel was configured), kept when the channel is removed.
CREATE TABLE alert_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    alert_id        TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    title           TEXT NOT NULL,
    channel_id      TEXT,
    channel         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('sent', 'failed', 'no_channel')),
    attempts        INTEGER NOT NULL,
    error           TEXT,
    delivered_at    TEXT
);
CREATE INDEX ix_alert_log_org ON alert_log (organisation_id, id);
