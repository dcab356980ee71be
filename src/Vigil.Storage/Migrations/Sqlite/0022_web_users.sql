-- The web app's users (issue 18): local sign-in with a PBKDF2 password hash, lockout counters and one API key (hashed).
-- An email signs in to exactly one organisation, so it is unique across the database, not only within an organisation.
CREATE TABLE web_users (
    organisation_id    TEXT NOT NULL,
    email              TEXT NOT NULL,          -- lower-cased
    role               TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'viewer')),
    password_hash      TEXT NOT NULL,
    security_stamp     TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    failed_sign_ins    INTEGER NOT NULL DEFAULT 0,
    locked_until       TEXT,
    api_key_id         TEXT,
    api_key_hash       TEXT,                   -- SHA-256 hex of the whole key
    api_key_created_at TEXT,
    PRIMARY KEY (organisation_id, email)
);
CREATE UNIQUE INDEX ux_web_users_email ON web_users (email);
CREATE UNIQUE INDEX ux_web_users_api_key ON web_users (api_key_id) WHERE api_key_id IS NOT NULL;
