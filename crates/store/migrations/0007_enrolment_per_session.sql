-- A second factor being set up belongs to the session setting it up, so a
-- second session of the same account cannot read its secret. The account's
-- own secret is written only once a code confirms it.
ALTER TABLE sessions ADD COLUMN pending_totp_secret TEXT;
UPDATE staff SET totp_secret = NULL WHERE totp_enabled_at IS NULL;
