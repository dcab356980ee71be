-- Which worker ran a sync (issue 19): the scheduler's instance name for scheduled and enqueued runs, the host and
-- process for a command. NULL for runs recorded before this column existed.
ALTER TABLE sync_runs ADD COLUMN worker TEXT;
