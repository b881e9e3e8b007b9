-- Foundation: local authorities (the tenants), staff, young people, their
-- SSDA903 care episodes, and the audit trail.
--
-- One portable file serves SQLite and PostgreSQL. `{{id}}` is the only
-- dialect token (an auto-numbered primary key). Dates are ISO 8601 text
-- (yyyy-mm-dd), instants are UTC RFC 3339 text, money is integer pence.

CREATE TABLE local_authorities (
    id {{id}},
    code TEXT NOT NULL UNIQUE CHECK (length(code) = 3),
    name TEXT NOT NULL CHECK (length(name) > 0),
    caseload_cap BIGINT NOT NULL DEFAULT 8 CHECK (caseload_cap BETWEEN 1 AND 100),
    activities_allowance_pence BIGINT NOT NULL DEFAULT 3000 CHECK (activities_allowance_pence BETWEEN 0 AND 100000),
    weekly_support_hours BIGINT NOT NULL DEFAULT 5 CHECK (weekly_support_hours BETWEEN 0 AND 40),
    visit_frequency_days BIGINT NOT NULL DEFAULT 14 CHECK (visit_frequency_days BETWEEN 1 AND 90),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id {{id}},
    -- Empty only for national programme viewers, who belong to no LA.
    la_id BIGINT REFERENCES local_authorities (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL CHECK (length(display_name) > 0),
    role TEXT NOT NULL CHECK (role IN ('la_admin', 'team_manager', 'personal_adviser', 'eet_worker',
        'emotional_health', 'housing_officer', 'nurse', 'residential_staff', 'read_only', 'national_viewer')),
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK ((role = 'national_viewer') = (la_id IS NULL)),
    UNIQUE (la_id, id)
);

CREATE TABLE young_people (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    child_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    preferred_name TEXT,
    date_of_birth TEXT NOT NULL CHECK (date_of_birth LIKE '____-__-__'),
    sex BIGINT CHECK (sex IN (1, 2)),
    ethnicity TEXT,
    cohort_status TEXT NOT NULL DEFAULT 'referred' CHECK (cohort_status IN ('referred', 'active', 'closed')),
    personal_adviser_id BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (la_id, child_id),
    UNIQUE (la_id, id),
    -- The adviser must work for the same LA as the young person.
    FOREIGN KEY (la_id, personal_adviser_id) REFERENCES staff (la_id, id)
);

CREATE INDEX young_people_by_adviser ON young_people (la_id, personal_adviser_id);

CREATE TABLE care_episodes (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    started_on TEXT NOT NULL CHECK (started_on LIKE '____-__-__'),
    ended_on TEXT CHECK (ended_on IS NULL OR (ended_on LIKE '____-__-__' AND ended_on >= started_on)),
    reason_new TEXT NOT NULL,
    legal_status TEXT NOT NULL,
    category_of_need TEXT NOT NULL,
    placement TEXT NOT NULL,
    provider TEXT,
    reason_ceased TEXT,
    reason_place_change TEXT,
    home_postcode TEXT,
    placement_postcode TEXT,
    urn TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, young_person_id, started_on),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id) ON DELETE CASCADE
);

-- Append-only. No foreign keys: the trail outlives what it describes.
CREATE TABLE audit_events (
    id {{id}},
    la_id BIGINT,
    occurred_at TEXT NOT NULL,
    actor_staff_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BIGINT,
    details TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_events_by_la_and_time ON audit_events (la_id, occurred_at);
