-- Emotional health and health (special-category data): sessions, referrals
-- along pathways, and GP, dentist and health passport.
CREATE TABLE health_sessions (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    held_on TEXT NOT NULL CHECK (held_on LIKE '____-__-__'),
    kind TEXT NOT NULL CHECK (kind IN ('emotional_health', 'nurse')),
    minutes BIGINT CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 600),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX health_sessions_by_young_person ON health_sessions (la_id, young_person_id, held_on);
CREATE INDEX health_sessions_by_day ON health_sessions (la_id, held_on);

CREATE TABLE health_referrals (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    pathway TEXT NOT NULL CHECK (pathway IN ('adult_mental_health', 'neurodiversity', 'other')),
    referred_on TEXT NOT NULL CHECK (referred_on LIKE '____-__-__'),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'accepted', 'seen', 'declined', 'closed')),
    outcome TEXT,
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX health_referrals_by_young_person ON health_referrals (la_id, young_person_id);
CREATE INDEX health_referrals_by_day ON health_referrals (la_id, referred_on);

CREATE TABLE health_registrations (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    gp TEXT,
    dentist TEXT,
    passport_given_on TEXT CHECK (passport_given_on IS NULL OR passport_given_on LIKE '____-__-__'),
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    UNIQUE (la_id, young_person_id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
