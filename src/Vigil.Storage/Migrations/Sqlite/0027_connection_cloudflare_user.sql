-- The Cloudflare user behind a connection's credential (issue 19): result.id of GET /user, read by preflight when the
-- credential may (a token with "User Details Read", or a Global API Key). Cloudflare counts its rate limit per user, so
-- connections with the same user id draw on one shared budget. NULL when unknown (an account-owned token, a token
-- without that permission, or a connection made before this column existed): the budget is then per credential.
-- Never the secret: only Cloudflare's public user id.
ALTER TABLE connections ADD COLUMN cloudflare_user_id TEXT;
