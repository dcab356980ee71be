-- Alert deliveries re-sent later (issue 18), mirroring SQLite's 0031: a failed delivery is kept pending with the time of
-- its next attempt until it is sent or given up.

ALTER TABLE alert_log ADD COLUMN next_attempt_at TEXT;

CREATE TABLE alert_pending (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    alert_id        TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    alert           TEXT NOT NULL,
    rounds          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    leased_until    TEXT,                 -- while a round sends it: no other round takes it before this time
    PRIMARY KEY (organisation_id, alert_id, channel_id)
);
CREATE INDEX ix_alert_pending_due ON alert_pending (organisation_id, next_attempt_at);

SELECT vigil_isolate('alert_pending');
