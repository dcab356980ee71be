-- Organisation settings (timezone, offboarding_grace_days, max_data_age_hours, ...) as key/value text; the typed
-- model with defaults and validation is Vigil.Core.Settings.OrganisationSettings, so a new key needs no migration.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- How old each stage's data was when an evaluation judged it, and the last failed sync of each stage (JSON: DataFreshness).
ALTER TABLE evaluations ADD COLUMN data TEXT;
