-- How far each account's audit log was read, mirroring SQLite's 0032: per stage commit, a JSON list of AuditLogCoverage
-- (account, period read without a break, or why it could not be read). NULL: the stage read no audit log.
-- stage_commits is already isolated (vigil_isolate in 0001).
ALTER TABLE stage_commits ADD COLUMN audit_log_read TEXT;
