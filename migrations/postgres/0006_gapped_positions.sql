-- Deal positions are unique per stage and numbered 1024 apart, so a move writes only the moved
-- row (it takes the middle of the gap between its new neighbours; see src/domain/positions.rs).
-- Places shown to users and API clients are ranks in this order.
DROP INDEX deals_stage;

UPDATE deals SET position = ranked.place * 1024
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY stage_id ORDER BY position, id) - 1 AS place
    FROM deals
) AS ranked
WHERE deals.id = ranked.id;

CREATE UNIQUE INDEX deals_stage ON deals(stage_id, position);
