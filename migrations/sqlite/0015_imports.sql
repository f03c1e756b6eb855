-- CSV imports. The file is kept in the database in chunks (every app instance reads it, and
-- an import resumes after a restart); `rows_done` is the checkpoint, written in the same
-- transaction as the rows before it, so each row is imported once. Every row's outcome is
-- kept for the report and the refused rows' download.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file_bytes INTEGER NOT NULL DEFAULT 0,
    headers TEXT NOT NULL DEFAULT '[]',
    preview TEXT NOT NULL DEFAULT '[]',
    settings TEXT NOT NULL DEFAULT '{}',
    locale TEXT NOT NULL DEFAULT 'en',
    mode TEXT NOT NULL DEFAULT 'dry_run',
    status TEXT NOT NULL DEFAULT 'ready',
    total_rows INTEGER,
    rows_done INTEGER NOT NULL DEFAULT 0,
    created_count INTEGER NOT NULL DEFAULT 0,
    updated_count INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    skipped_count INTEGER NOT NULL DEFAULT 0,
    refused_count INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at TEXT,
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX imports_account ON imports(account_id, id);

CREATE TABLE import_chunks (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_rows (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    field TEXT,
    reason TEXT,
    cells TEXT,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE import_mappings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    headers TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (account_id, name)
);

-- A deal's id in the system it was imported from: a later import of the same file finds it.
ALTER TABLE deals ADD COLUMN external_id TEXT;
CREATE INDEX deals_external_id ON deals(account_id, external_id);
-- Deals without an external id are found by title (folded) and organization.
CREATE INDEX deals_title_key ON deals(account_id, title_key);

-- Lists read a page at a time in id order (the CSV exports) walk an account's deals by id.
CREATE INDEX deals_account_id ON deals(account_id, id);
