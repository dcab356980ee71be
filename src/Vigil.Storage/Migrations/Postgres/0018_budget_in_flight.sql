-- The shared request budget counts a request from its answer, not from when its slot was taken (issue 19).
--
-- A slot is recorded when it is taken, as in flight; the request's answer (or its failure) settles it at that moment.
-- Cloudflare saw the request no later than its answer came back, so a window counted from the answers holds however
-- long a request was delayed between its slot and Cloudflare (a loaded machine, a slow connection): with slots alone, a
-- late request could meet the next window's first requests in one of Cloudflare's windows. An in-flight slot never
-- leaves the window; one never settled (its process died) leaves it p_in_flight_ms plus the window after it was taken.
-- vigil_budget_take (0010) stays for processes of the previous version: their sends are recorded settled, as before.
ALTER TABLE cloudflare_budget_sends ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE cloudflare_budget_sends ADD COLUMN in_flight BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX ux_cloudflare_budget_sends_id ON cloudflare_budget_sends (id);

-- Takes one request from a credential's budget. Returns (slot, 0) when taken, the slot to settle with
-- vigil_budget_settle; else (NULL, milliseconds to wait before asking again).
CREATE FUNCTION vigil_budget_take_slot(p_key TEXT, p_limit INTEGER, p_window_ms BIGINT, p_in_flight_ms BIGINT)
RETURNS TABLE (slot BIGINT, wait_ms BIGINT) LANGUAGE plpgsql AS $$
DECLARE
    now_ms   BIGINT;
    used     INTEGER;
    oldest   BIGINT;
    taken    BIGINT;
BEGIN
    INSERT INTO cloudflare_budgets (credential_key) VALUES (p_key) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM cloudflare_budgets WHERE credential_key = p_key FOR UPDATE;
    -- Read after the lock: waiting for it took time.
    now_ms := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
    DELETE FROM cloudflare_budget_sends
    WHERE credential_key = p_key
      AND ((NOT in_flight AND sent_at_ms <= now_ms - p_window_ms) OR (in_flight AND sent_at_ms <= now_ms - p_in_flight_ms - p_window_ms));
    SELECT count(*), min(sent_at_ms) FILTER (WHERE NOT in_flight) INTO used, oldest
    FROM cloudflare_budget_sends WHERE credential_key = p_key;
    IF used < p_limit THEN
        INSERT INTO cloudflare_budget_sends (credential_key, sent_at_ms, in_flight) VALUES (p_key, now_ms, TRUE) RETURNING id INTO taken;
        RETURN QUERY SELECT taken, 0::BIGINT;
        RETURN;
    END IF;
    -- Full: the oldest answered request leaves the window first (one in flight only later, from its answer). When every
    -- request counted is still in flight, ask again shortly.
    RETURN QUERY SELECT NULL::BIGINT, CASE WHEN oldest IS NULL THEN 100::BIGINT ELSE GREATEST(1, oldest + p_window_ms - now_ms) END;
END
$$;

-- Settles a slot when its request was answered or failed: from now on it counts from this moment.
CREATE FUNCTION vigil_budget_settle(p_slot BIGINT) RETURNS VOID LANGUAGE sql AS $$
    UPDATE cloudflare_budget_sends
    SET sent_at_ms = (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT, in_flight = FALSE
    WHERE id = p_slot AND in_flight;
$$;
