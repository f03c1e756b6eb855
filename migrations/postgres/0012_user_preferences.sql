-- How a user sees the app: `theme` is `light` or `dark` (NULL follows the system setting);
-- `time_zone` is an IANA name such as `America/Sao_Paulo` (NULL means UTC). Due dates,
-- "today" and every time shown to the user follow the time zone.
ALTER TABLE users ADD COLUMN theme TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;
