-- Referrals to independent advocacy.
CREATE TABLE advocacy_referrals (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    provider TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('instructed', 'non_instructed')),
    issue TEXT NOT NULL,
    referred_on TEXT NOT NULL CHECK (referred_on LIKE '____-__-__'),
    started_on TEXT CHECK (started_on IS NULL OR (started_on LIKE '____-__-__' AND started_on >= referred_on)),
    closed_on TEXT CHECK (closed_on IS NULL OR (closed_on LIKE '____-__-__' AND closed_on >= referred_on)),
    outcome TEXT,
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX advocacy_referrals_by_young_person ON advocacy_referrals (la_id, young_person_id);
CREATE INDEX advocacy_referrals_by_day ON advocacy_referrals (la_id, referred_on);
