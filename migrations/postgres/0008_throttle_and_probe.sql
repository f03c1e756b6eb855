-- Sign-in attempts counted per window, one row per scope ("e-mail" and "e-mail from an
-- address"): an attempt takes its slot with one atomic upsert before the password is
-- checked, so parallel attempts cannot all be evaluated (see services/accounts/sign_in.rs).
CREATE TABLE login_throttle (
    scope TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start TEXT NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle(window_start);

-- One row that readiness checks rewrite: a database that answers but cannot commit a write
-- (read-only file or replica, full disk) is not ready.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL
);
