-- Failed sign-ins (for lockouts across app instances) and each account's webhook signing secret.

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, created_at);

ALTER TABLE accounts ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';

-- Every webhook call an automation run made (tries of one action included).
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    log_id INTEGER REFERENCES automation_logs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_attempts_log ON webhook_attempts(log_id);
