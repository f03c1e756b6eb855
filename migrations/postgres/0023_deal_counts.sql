-- How many deals each account has, kept by triggers as deals are written and deleted: a list
-- of every deal gives its exact total without counting the table. A statement's rows are
-- counted once per account (an import's batch is one update of its account's row, which the
-- deal codes have locked already).
ALTER TABLE accounts ADD COLUMN deal_count BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET deal_count = (SELECT COUNT(*) FROM deals d WHERE d.account_id = accounts.id);

CREATE FUNCTION deals_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts a SET deal_count = a.deal_count + n.count
    FROM (SELECT account_id, COUNT(*) AS count FROM inserted GROUP BY account_id) n
    WHERE a.id = n.account_id;
    RETURN NULL;
END
$$;
CREATE FUNCTION deals_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts a SET deal_count = a.deal_count - n.count
    FROM (SELECT account_id, COUNT(*) AS count FROM deleted GROUP BY account_id) n
    WHERE a.id = n.account_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER deals_count_insert AFTER INSERT ON deals REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION deals_count_inserted();
CREATE TRIGGER deals_count_delete AFTER DELETE ON deals REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION deals_count_deleted();
