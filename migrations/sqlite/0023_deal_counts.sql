-- How many deals each account has, kept by triggers as deals are written and deleted: a list
-- of every deal gives its exact total without counting the table.
ALTER TABLE accounts ADD COLUMN deal_count INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET deal_count = (SELECT COUNT(*) FROM deals d WHERE d.account_id = accounts.id);

CREATE TRIGGER deals_count_insert AFTER INSERT ON deals BEGIN
    UPDATE accounts SET deal_count = deal_count + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER deals_count_delete AFTER DELETE ON deals BEGIN
    UPDATE accounts SET deal_count = deal_count - 1 WHERE id = OLD.account_id;
END;
