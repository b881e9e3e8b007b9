-- What each young person was doing (OC3 ACTIV codes) and the help they had
-- towards education, employment and training.
CREATE TABLE eet_activities (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    activ_code TEXT NOT NULL CHECK (activ_code IN ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5', 'G4',
        'G5', 'G6')),
    provider TEXT,
    starts_on TEXT NOT NULL CHECK (starts_on LIKE '____-__-__'),
    ends_on TEXT CHECK (ends_on IS NULL OR (ends_on LIKE '____-__-__' AND ends_on >= starts_on)),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX eet_activities_by_young_person ON eet_activities (la_id, young_person_id, starts_on);

CREATE TABLE eet_interventions (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    done_on TEXT NOT NULL CHECK (done_on LIKE '____-__-__'),
    help TEXT NOT NULL CHECK (help IN ('careers', 'applications', 'college', 'apprenticeship', 'work_experience',
        'course', 'costs', 'other')),
    outcome TEXT NOT NULL CHECK (outcome IN ('ongoing', 'started', 'sustained', 'not_yet')),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX eet_interventions_by_young_person ON eet_interventions (la_id, young_person_id, done_on);
CREATE INDEX eet_interventions_by_day ON eet_interventions (la_id, done_on);
