-- The language a user reads the app in (`en`, `es`, `pt-BR`); NULL follows the browser.
ALTER TABLE users ADD COLUMN locale TEXT;
