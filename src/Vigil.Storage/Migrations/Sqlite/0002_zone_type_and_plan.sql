-- Zone type (full / partial / secondary) and the plan's legacy id (free / pro / business / enterprise):
-- DNSSEC is judged only where Cloudflare is authoritative, and the Free plan's managed ruleset is judged differently.
ALTER TABLE snapshot_zones ADD COLUMN zone_type TEXT;
ALTER TABLE snapshot_zones ADD COLUMN plan_legacy_id TEXT;
