-- A run the operator stops (Ctrl+C, SIGTERM) ends 'cancelled'. SQLite cannot alter a CHECK constraint, so sync_runs is
-- rebuilt: copied aside, dropped, created with the new constraint under its own name (so stage_commits' foreign key
-- keeps pointing at it) and refilled. The migration runs in one transaction with foreign keys on, where
-- PRAGMA foreign_keys cannot be switched off; deferring them lets the drop orphan stage_commits rows for a moment,
-- and refilling sync_runs settles every one of them before the commit checks.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE sync_runs_0008 AS SELECT * FROM sync_runs;

DROP TABLE sync_runs;

CREATE TABLE sync_runs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    trigger      TEXT NOT NULL,
    owner        TEXT NOT NULL,            -- the process running it, to tell a crashed run from a live one
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed', 'cancelled')),
    reason       TEXT,
    accounts     INTEGER NOT NULL DEFAULT 0,
    members      INTEGER NOT NULL DEFAULT 0,
    zones        INTEGER NOT NULL DEFAULT 0,
    api_calls    INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0,
    stages       TEXT NOT NULL DEFAULT '[]',  -- JSON: SyncStageResult[]
    skipped      TEXT NOT NULL DEFAULT '[]',  -- JSON: ReadGap[]
    coverage     TEXT NOT NULL DEFAULT '[]'   -- JSON: ListCoverage[] (added by 0007)
);

INSERT INTO sync_runs (seq, id, trigger, owner, started_at, ended_at, status, reason, accounts, members, zones, api_calls,
                       rate_limited, stages, skipped, coverage)
SELECT seq, id, trigger, owner, started_at, ended_at, status, reason, accounts, members, zones, api_calls,
       rate_limited, stages, skipped, coverage
FROM sync_runs_0008 ORDER BY seq;

DROP TABLE sync_runs_0008;

CREATE INDEX ix_sync_runs_status ON sync_runs (status);
