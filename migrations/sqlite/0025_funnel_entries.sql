-- The funnel counts each deal once per stage and period without counting distinct deals: an
-- entry into a stage (`opened`, `stage_changed`) keeps when the same deal last entered that
-- stage before it (`prev_entry_at`) and the latest of those earlier entries whose stay went on
-- (`prev_went_on_at`). The deals that entered a stage in a period are its entries there with
-- no earlier entry in the period; the ones that went on, its went-on entries with no earlier
-- went-on entry in the period. A deal leaves a stage before it enters it again, so the earlier
-- stays have ended, and their `went_on` is final, when a trigger fills both as the entry is
-- written (entries are written in the order they happened, as the stays assume).
ALTER TABLE deal_events ADD COLUMN prev_entry_at TEXT;
ALTER TABLE deal_events ADD COLUMN prev_went_on_at TEXT;

UPDATE deal_events SET prev_entry_at = p.prev_entry_at, prev_went_on_at = p.prev_went_on_at
FROM (
    SELECT id,
        LAG(created_at) OVER (PARTITION BY deal_id, to_stage_id ORDER BY id) AS prev_entry_at,
        MAX(CASE WHEN went_on = 1 THEN created_at END) OVER (
            PARTITION BY deal_id, to_stage_id ORDER BY id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_went_on_at
    FROM deal_events WHERE kind IN ('opened', 'stage_changed')
) p
WHERE deal_events.id = p.id AND p.prev_entry_at IS NOT NULL;

-- A deal opens once, and most moves are a deal's first entry in their stage: the trigger
-- writes only for a return.
CREATE TRIGGER deal_events_reentry AFTER INSERT ON deal_events
WHEN NEW.kind = 'stage_changed' AND EXISTS (
    SELECT 1 FROM deal_events x WHERE x.deal_id = NEW.deal_id AND x.to_stage_id = NEW.to_stage_id
    AND x.id < NEW.id AND x.kind IN ('opened', 'stage_changed'))
BEGIN
    UPDATE deal_events SET
        prev_entry_at = (SELECT x.created_at FROM deal_events x
            WHERE x.deal_id = NEW.deal_id AND x.to_stage_id = NEW.to_stage_id AND x.id < NEW.id
            AND x.kind IN ('opened', 'stage_changed') ORDER BY x.id DESC LIMIT 1),
        prev_went_on_at = (SELECT MAX(x.created_at) FROM deal_events x
            WHERE x.deal_id = NEW.deal_id AND x.to_stage_id = NEW.to_stage_id AND x.id < NEW.id
            AND x.kind IN ('opened', 'stage_changed') AND x.went_on = 1)
    WHERE id = NEW.id;
END;

-- The funnel reads a stage's entries of a period from this index alone.
DROP INDEX deal_events_entered;
CREATE INDEX deal_events_entered ON deal_events(account_id, to_stage_id, created_at, kind, went_on, prev_entry_at, prev_went_on_at, deal_id);

-- Velocity reads the open deals of each stage of the account by when they entered it, from
-- the index alone (the account first, as every report's condition names it).
DROP INDEX deals_stage_since;
CREATE INDEX deals_stage_since ON deals(account_id, stage_id, status, stage_changed_at);
