-- Who works with each young person, and who did before: one row per
-- allocation of a worker to a part (personal adviser, EET worker, ...),
-- open while `ends_on` is empty. `young_people.personal_adviser_id` stays
-- the current personal adviser, changed in the same transaction as the
-- allocation that changes it.
CREATE TABLE allocations (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    worker_role TEXT NOT NULL CHECK (worker_role IN ('personal_adviser', 'eet', 'emotional_health', 'housing',
        'nurse', 'residential')),
    staff_id BIGINT NOT NULL,
    -- Empty when the start was not recorded (a personal adviser set before allocations were kept).
    starts_on TEXT CHECK (starts_on IS NULL OR starts_on LIKE '____-__-__'),
    ends_on TEXT CHECK (ends_on IS NULL OR ends_on LIKE '____-__-__'),
    reason TEXT,
    end_reason TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id),
    FOREIGN KEY (la_id, staff_id) REFERENCES staff (la_id, id)
);
CREATE UNIQUE INDEX allocations_one_open ON allocations (la_id, young_person_id, worker_role) WHERE ends_on IS NULL;
-- A worker's own young people, for record access by caseload.
CREATE INDEX allocations_open_by_staff ON allocations (la_id, staff_id, young_person_id) WHERE ends_on IS NULL;
CREATE INDEX allocations_by_young_person ON allocations (la_id, young_person_id);

-- Personal advisers already set: their allocation, from when the record was made.
INSERT INTO allocations (la_id, young_person_id, worker_role, staff_id, starts_on, created_at)
SELECT la_id, id, 'personal_adviser', personal_adviser_id, NULL, created_at FROM young_people
WHERE personal_adviser_id IS NOT NULL;
