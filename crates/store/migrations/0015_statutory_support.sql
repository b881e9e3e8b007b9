-- Statutory staying close support (Children Act 1989 s.23CZAA, prospective):
-- the date the duty starts for the LA (empty until commencement), the
-- assessments of whether a former relevant child needs support, and the
-- statute's areas and forms tagged on the contacts that gave it.
ALTER TABLE local_authorities ADD COLUMN staying_close_duty_from TEXT
    CHECK (staying_close_duty_from IS NULL OR staying_close_duty_from LIKE '____-__-__');

ALTER TABLE contacts ADD COLUMN support_areas TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN support_forms TEXT NOT NULL DEFAULT '';

CREATE TABLE staying_close_assessments (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    assessed_on TEXT NOT NULL CHECK (assessed_on LIKE '____-__-__'),
    assessed_by BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('required', 'not_required')),
    reasons TEXT NOT NULL,
    their_view TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id),
    FOREIGN KEY (la_id, assessed_by) REFERENCES staff (la_id, id)
);
CREATE INDEX staying_close_assessments_by_young_person ON staying_close_assessments (la_id, young_person_id, assessed_on);
-- Assessments owed read former relevant children by status and birth date.
CREATE INDEX young_people_by_status_and_birth ON young_people (la_id, care_leaver_status, date_of_birth);
