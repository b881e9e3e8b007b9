-- The latest SSDA903 OC3 outcome known for each care leaver.
CREATE TABLE care_leaver_outcomes (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    in_touch TEXT NOT NULL,
    activity TEXT NOT NULL,
    accommodation TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (la_id, young_person_id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id) ON DELETE CASCADE
);
