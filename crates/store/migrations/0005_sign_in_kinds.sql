-- What each sign-in attempt was: a password, a second-factor code, or the
-- success of a whole sign-in. Wrong passwords and wrong codes both count
-- towards locking an account until a whole sign-in succeeds, so codes cannot
-- be guessed between correct passwords.
ALTER TABLE login_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'complete'
    CHECK (kind IN ('password', 'second_factor', 'complete'));
