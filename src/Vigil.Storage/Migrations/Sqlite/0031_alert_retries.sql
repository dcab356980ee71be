-- Alert deliveries re-sent later (issue 18): a delivery that still fails after its retries within one round is kept
-- pending with the time of its next attempt, and re-sent at the next evaluation or by 'vigil alerts retry' until it is
-- sent or given up. PostgreSQL's 0016 has the same columns and table.

-- When a failed delivery recorded here will be tried again; NULL: it will not (sent, given up, or not retryable).
ALTER TABLE alert_log ADD COLUMN next_attempt_at TEXT;

-- One row per alert and channel still to deliver. alert is the alert as sent (JSON, the same id every attempt so a
-- receiver can tell a repeat); rounds counts the rounds tried.
CREATE TABLE alert_pending (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    alert_id        TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    alert           TEXT NOT NULL,
    rounds          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    leased_until    TEXT,                 -- while a round sends it: no other round takes it before this time
    PRIMARY KEY (organisation_id, alert_id, channel_id)
);
CREATE INDEX ix_alert_pending_due ON alert_pending (organisation_id, next_attempt_at);
