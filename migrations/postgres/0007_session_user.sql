-- A session names its signed-in user in a column of its own, so that loading the session also
-- loads the user (one query per signed-in request; see src/server/auth/session_store.rs).
ALTER TABLE sessions ADD COLUMN user_id BIGINT;
