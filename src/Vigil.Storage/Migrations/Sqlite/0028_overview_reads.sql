-- What the dashboard's overview reads on every request, made cheap (issue 18).
--
-- 1. The review stamp (ReadReviewVersionAsync): the newest decision, reassignment and verification of one
--    organisation, each answered from an index alone.
CREATE INDEX ix_review_decisions_org_seq ON review_decisions (organisation_id, seq);
CREATE INDEX ix_review_reassignments_org_seq ON review_reassignments (organisation_id, seq);
CREATE INDEX ix_review_verifications_org_seq ON review_verifications (organisation_id, seq);

-- 2. The trend of failing findings over the last 30 evaluations: each evaluation's failing count, kept when it is
--    saved, so the trend never parses the stored results. NULL for evaluations saved before this column existed
--    (those are counted from their results once, when first shown).
ALTER TABLE evaluations ADD COLUMN failing INTEGER;
