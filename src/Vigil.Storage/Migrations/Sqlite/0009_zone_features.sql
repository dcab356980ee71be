-- The zone configuration beyond the core settings (ZoneFeatures), as one JSON document: NULL when none was read.
ALTER TABLE snapshot_zones ADD COLUMN features TEXT;
