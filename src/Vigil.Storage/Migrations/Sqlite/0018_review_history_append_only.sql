-- Review history is evidence: decisions, reviewer changes and verification events are only ever added.
-- (PostgreSQL: the same rule as a BEFORE UPDATE OR DELETE trigger raising an exception.)
CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
CREATE TRIGGER review_verifications_no_update BEFORE UPDATE ON review_verifications
BEGIN SELECT RAISE(ABORT, 'review verifications are append-only'); END;
CREATE TRIGGER review_verifications_no_delete BEFORE DELETE ON review_verifications
BEGIN SELECT RAISE(ABORT, 'review verifications are append-only'); END;
CREATE TRIGGER review_reassignments_no_update BEFORE UPDATE ON review_reassignments
BEGIN SELECT RAISE(ABORT, 'review reassignments are append-only'); END;
CREATE TRIGGER review_reassignments_no_delete BEFORE DELETE ON review_reassignments
BEGIN SELECT RAISE(ABORT, 'review reassignments are append-only'); END;
