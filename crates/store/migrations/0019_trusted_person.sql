-- Trusted Person scheme: a professional the young person already knows,
-- nominated, matched (agreed), reviewed and ended with a reason.
CREATE TABLE trusted_matches (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    trusted_name TEXT NOT NULL,
    trusted_role TEXT NOT NULL CHECK (trusted_role IN ('residential', 'social_worker', 'iro', 'nurse', 'teacher',
        'other')),
    nominated_on TEXT NOT NULL CHECK (nominated_on LIKE '____-__-__'),
    agreed_on TEXT CHECK (agreed_on IS NULL OR (agreed_on LIKE '____-__-__' AND agreed_on >= nominated_on)),
    next_review_on TEXT CHECK (next_review_on IS NULL OR next_review_on LIKE '____-__-__'),
    ended_on TEXT CHECK (ended_on IS NULL OR (ended_on LIKE '____-__-__' AND ended_on >= nominated_on)),
    end_reason TEXT,
    note TEXT,
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX trusted_matches_by_young_person ON trusted_matches (la_id, young_person_id);
-- Matches per year read one year of agreements.
CREATE INDEX trusted_matches_by_agreement ON trusted_matches (la_id, agreed_on);
