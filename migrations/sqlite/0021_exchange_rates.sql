-- Exchange rates admins keep: one unit of `currency` was worth `rate_e8` / 10^8 units of
-- `base` (the account's base currency when the rate was set) from `day` until the next day
-- given. Totals and reports convert at the rate of a deal's close day (today for open deals).
CREATE TABLE exchange_rates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    base TEXT NOT NULL,
    currency TEXT NOT NULL,
    day TEXT NOT NULL,
    rate_e8 INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (account_id, base, currency, day)
);
