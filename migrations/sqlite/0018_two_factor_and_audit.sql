-- Two-factor sign-in (TOTP, RFC 6238): a user's secret once enrolled (`totp_secret`, base32),
-- the one being enrolled (`totp_pending`), and the last time step a code was accepted for
-- (a code for that step or an earlier one is a replay). Recovery codes are kept as SHA-256
-- and work once. An owner may require two-factor sign-in for the whole account.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE accounts ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- The account's audit log: who did what, when and from which address. `actor` and
-- `api_key` are the names as they were (a renamed or deleted user's rows keep theirs).
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    api_key TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT,
    address TEXT
);
CREATE INDEX audit_events_account ON audit_events(account_id, id);
