-- What the dashboard's overview reads on every request, made cheap (issue 18).
--
-- 1. The review stamp (ReadReviewVersionAsync): the newest decision, reassignment and verification of one
--    organisation, each answered from an index alone.
CREATE INDEX ix_review_decisions_org_seq ON review_decisions (organisation_id, seq);
CREATE INDEX ix_review_reassignments_org_seq ON review_reassignments (organisation_id, seq);
CREATE INDEX ix_review_verifications_org_seq ON review_verifications (organisation_id, seq);

-- 2. The trend of failing findings over the last 30 evaluations: each evaluation's failing count, kept when it is
--    saved, in a table of its own so the trend never reads (or walks past) the stored results. Evaluations saved
--    before this table existed have no row (those are counted from their results once, when first shown).
CREATE TABLE evaluation_counts (
    organisation_id  TEXT NOT NULL,
    evaluation_id    INTEGER NOT NULL PRIMARY KEY,   -- evaluations.id
    snapshot_id      TEXT NOT NULL,
    evaluated_at     TEXT NOT NULL,
    failing          INTEGER NOT NULL
);
CREATE INDEX ix_evaluation_counts_org ON evaluation_counts (organisation_id, snapshot_id, evaluation_id);
