-- Saved views of the deal table: a name and the table's query (filters, columns, order) as its
-- URL carries it. A view is its author's, or shared with the whole account; the board applies
-- the filters of the same views.
CREATE TABLE deal_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX deal_views_account ON deal_views(account_id, user_id);
