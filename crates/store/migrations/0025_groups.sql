-- Group activities and Care Leavers' Forum meetings, who came (young people
-- and staff), and young people's part in recruitment and service design.
CREATE TABLE group_events (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('trip', 'walking', 'life_skills', 'celebration', 'forum', 'other')),
    held_on TEXT NOT NULL CHECK (held_on LIKE '____-__-__'),
    cost_pence BIGINT NOT NULL CHECK (cost_pence >= 0),
    topics TEXT,
    actions TEXT,
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id)
);
CREATE INDEX group_events_by_day ON group_events (la_id, held_on);

CREATE TABLE group_attendance (
    la_id BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    PRIMARY KEY (la_id, event_id, young_person_id),
    FOREIGN KEY (la_id, event_id) REFERENCES group_events (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX group_attendance_by_young_person ON group_attendance (la_id, young_person_id);

CREATE TABLE group_staff (
    la_id BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    staff_id BIGINT NOT NULL,
    PRIMARY KEY (la_id, event_id, staff_id),
    FOREIGN KEY (la_id, event_id) REFERENCES group_events (la_id, id),
    FOREIGN KEY (la_id, staff_id) REFERENCES staff (la_id, id)
);

CREATE TABLE involvements (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    involved_on TEXT NOT NULL CHECK (involved_on LIKE '____-__-__'),
    kind TEXT NOT NULL CHECK (kind IN ('recruitment', 'service_design', 'local_offer', 'training', 'other')),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX involvements_by_day ON involvements (la_id, involved_on);
CREATE INDEX involvements_by_young_person ON involvements (la_id, young_person_id);
