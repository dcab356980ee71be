-- How far each account's audit log was read (issue: admin-changes-reviewed must not pass on a log never read): per
-- stage commit, a JSON list of AuditLogCoverage (account, period read without a break, or why it could not be read),
-- written in the commit's own transaction so that the evaluation right after the commit sees it. NULL: the stage read
-- no audit log (a full read, or a commit made before this column existed). PostgreSQL's 0017 adds the same column.
ALTER TABLE stage_commits ADD COLUMN audit_log_read TEXT;
