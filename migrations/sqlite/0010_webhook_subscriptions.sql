-- Webhook subscriptions: a URL subscribed to events of the account (deal.created,
-- quote.accepted, …). Each event becomes one delivery per subscription that listens, written in
-- the transaction of the change; deliveries of a subscription go out in order, signed with the
-- subscription's own secret, tried again on passing failures, and are kept as its delivery log.
-- `events` is a JSON array of event names, e.g. ["deal.created","deal.won"].
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    uuid TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '[]',
    secret TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_at TEXT,
    disabled_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_subscriptions_account ON webhook_subscriptions(account_id, active);

-- One event for one subscription: `pending` until delivered or given up (`delivered`,
-- `failed`). `locked_until` is held by the worker making a call; `is_test` marks the
-- "send test event" deliveries, which keep a queue of their own and do not count as failures.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    uuid TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    is_test INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    response_code INTEGER,
    error TEXT,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries(subscription_id, status, is_test, id);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(subscription_id, id);
