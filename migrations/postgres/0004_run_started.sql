-- When a run's actions started: a run found started but unfinished (its server died mid-run) is
-- closed as interrupted instead of running its actions a second time.
ALTER TABLE automation_logs ADD COLUMN started_at TEXT;
