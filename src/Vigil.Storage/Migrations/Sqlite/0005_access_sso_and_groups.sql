-- Access findings that hold: the membership status as Cloudflare sent it (a rejected invitation is not access),
-- each account's dashboard SSO connectors as read (NULL: not read), and the organisation's SSO declarations
-- (`vigil accounts sso`), which the 2FA checks accept in place of Cloudflare 2FA for the declared email domains.
ALTER TABLE snapshot_members ADD COLUMN status_text TEXT;
ALTER TABLE snapshot_accounts ADD COLUMN sso_connectors TEXT;    -- JSON: SsoConnector[]; NULL = not read

CREATE TABLE sso_declarations (
    account_id   TEXT PRIMARY KEY,           -- Cloudflare account id
    domains      TEXT NOT NULL,              -- JSON: string[] (lower case)
    evidence     TEXT NOT NULL,
    declared_at  TEXT NOT NULL
);
