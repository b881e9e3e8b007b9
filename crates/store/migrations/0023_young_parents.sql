-- Young parents: their children (minimal data), the support given, and the
-- child-protection plans and entries to care prevented that managers record.
CREATE TABLE parent_children (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    known_as TEXT NOT NULL,
    born_on TEXT CHECK (born_on IS NULL OR born_on LIKE '____-__-__'),
    due_on TEXT CHECK (due_on IS NULL OR due_on LIKE '____-__-__'),
    lives_with_parent BIGINT NOT NULL CHECK (lives_with_parent IN (0, 1)),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    CHECK (born_on IS NOT NULL OR due_on IS NOT NULL),
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX parent_children_by_young_person ON parent_children (la_id, young_person_id);

CREATE TABLE parent_support (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    given_on TEXT NOT NULL CHECK (given_on LIKE '____-__-__'),
    kind TEXT NOT NULL CHECK (kind IN ('antenatal', 'parenting_course', 'health_visitor', 'childcare', 'equipment',
        'home', 'other')),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX parent_support_by_young_person ON parent_support (la_id, young_person_id, given_on);

CREATE TABLE parent_outcomes (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    happened_on TEXT NOT NULL CHECK (happened_on LIKE '____-__-__'),
    kind TEXT NOT NULL CHECK (kind IN ('cp_plan_started', 'cp_plan_ended', 'entry_prevented')),
    note TEXT NOT NULL,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX parent_outcomes_by_young_person ON parent_outcomes (la_id, young_person_id, happened_on);
CREATE INDEX parent_outcomes_by_day ON parent_outcomes (la_id, happened_on);
