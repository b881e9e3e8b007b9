-- Where each young person has lived (OC3 ACCOM codes), the help they had
-- with housing, and the LA's ring-fenced lets with who lived in each.
CREATE TABLE accommodation_stays (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    accom_code TEXT NOT NULL CHECK (length(accom_code) = 2),
    address TEXT,
    provider TEXT,
    starts_on TEXT NOT NULL CHECK (starts_on LIKE '____-__-__'),
    ends_on TEXT CHECK (ends_on IS NULL OR (ends_on LIKE '____-__-__' AND ends_on >= starts_on)),
    reason_for_move TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX accommodation_stays_by_young_person ON accommodation_stays (la_id, young_person_id, starts_on);
-- Outcomes for a period read the stays that started in or just before it.
CREATE INDEX accommodation_stays_by_start ON accommodation_stays (la_id, starts_on);

CREATE TABLE housing_interventions (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    done_on TEXT NOT NULL CHECK (done_on LIKE '____-__-__'),
    kind TEXT NOT NULL CHECK (kind IN ('tenancy_sustainment', 'homelessness_prevention', 'application', 'move_support',
        'rent_arrears', 'setting_up_home', 'other')),
    outcome TEXT NOT NULL CHECK (outcome IN ('ongoing', 'tenancy_kept', 'moved', 'not_resolved', 'other')),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX housing_interventions_by_young_person ON housing_interventions (la_id, young_person_id, done_on);
CREATE INDEX housing_interventions_by_day ON housing_interventions (la_id, done_on);

CREATE TABLE ring_fenced_lets (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    address TEXT NOT NULL,
    landlord TEXT NOT NULL,
    bedrooms BIGINT NOT NULL CHECK (bedrooms BETWEEN 1 AND 10),
    status TEXT NOT NULL CHECK (status IN ('available', 'offered', 'void')),
    note TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    UNIQUE (la_id, address)
);

CREATE TABLE let_occupancies (
    id {{id}},
    la_id BIGINT NOT NULL,
    let_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    starts_on TEXT NOT NULL CHECK (starts_on LIKE '____-__-__'),
    ends_on TEXT CHECK (ends_on IS NULL OR (ends_on LIKE '____-__-__' AND ends_on >= starts_on)),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, let_id) REFERENCES ring_fenced_lets (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX let_occupancies_by_let ON let_occupancies (la_id, let_id, starts_on);
CREATE INDEX let_occupancies_by_young_person ON let_occupancies (la_id, young_person_id);
