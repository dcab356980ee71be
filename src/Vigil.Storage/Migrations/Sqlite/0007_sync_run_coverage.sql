-- What each sync run's credentials could see: for every list read (accounts, members and roles per account, zones, ...)
-- the pages read, total_count and why paging stopped. JSON: ListCoverage[]. Runs stored before this column read as '[]'.
ALTER TABLE sync_runs ADD COLUMN coverage TEXT NOT NULL DEFAULT '[]';
