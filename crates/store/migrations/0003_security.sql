-- Sign-in, sessions, second factor, API tokens, record sharing and the
-- audit hash chain.

ALTER TABLE local_authorities ADD COLUMN record_access TEXT NOT NULL DEFAULT 'team';
ALTER TABLE local_authorities ADD COLUMN require_totp_for_all BIGINT NOT NULL DEFAULT 0;

ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;

-- Each LA's events form one chain (chain = la_id, or 0 for events of no LA).
ALTER TABLE audit_events ADD COLUMN chain BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN client_addr TEXT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE INDEX audit_events_by_chain ON audit_events (chain, id);

CREATE TABLE sessions (
    id {{id}},
    la_id BIGINT,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- 'second_factor': password accepted, code due; 'enrol': must set up a second factor; 'active'.
    stage TEXT NOT NULL CHECK (stage IN ('second_factor', 'enrol', 'active')),
    csrf_token TEXT NOT NULL,
    client_addr TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

CREATE TABLE login_attempts (
    id {{id}},
    -- The LA of the account, when the email address matched one.
    la_id BIGINT,
    -- SHA-256 of the lower-cased email address typed.
    account_key TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    succeeded BIGINT NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX login_attempts_by_account ON login_attempts (account_key, attempted_at);
CREATE INDEX login_attempts_by_client ON login_attempts (client_addr, attempted_at);

CREATE TABLE recovery_codes (
    id {{id}},
    la_id BIGINT,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_by_staff ON recovery_codes (staff_id);

CREATE TABLE api_tokens (
    id {{id}},
    la_id BIGINT,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_by_staff ON api_tokens (staff_id);

CREATE TABLE password_resets (
    id {{id}},
    la_id BIGINT,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Young people shared with members of staff beyond their allocated adviser.
CREATE TABLE young_person_shares (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    staff_id BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, young_person_id, staff_id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id) ON DELETE CASCADE,
    FOREIGN KEY (la_id, staff_id) REFERENCES staff (la_id, id) ON DELETE CASCADE
);
