-- Staying Close plans. Each agreement or review of a plan is a version:
-- `plans` holds one row per version, with the meeting that agreed it, and
-- exactly one current version per young person. Older versions are never
-- changed, so they can be read and compared as they were.
CREATE TABLE plans (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    number BIGINT NOT NULL CHECK (number >= 1),
    held_on TEXT NOT NULL CHECK (held_on LIKE '____-__-__'),
    review_due_on TEXT NOT NULL CHECK (review_due_on LIKE '____-__-__'),
    took_part BIGINT NOT NULL CHECK (took_part IN (0, 1)),
    agreed BIGINT NOT NULL CHECK (agreed IN (0, 1)),
    their_view TEXT,
    is_current BIGINT NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (review_due_on > held_on),
    UNIQUE (la_id, id),
    UNIQUE (la_id, young_person_id, number),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE UNIQUE INDEX plans_one_current ON plans (la_id, young_person_id) WHERE is_current = 1;
-- Reviews due across a caseload read the current versions only.
CREATE INDEX plans_current_by_review ON plans (la_id, review_due_on) WHERE is_current = 1;

-- What each area of a version says.
CREATE TABLE plan_sections (
    la_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    area TEXT NOT NULL CHECK (area IN ('accommodation', 'eet', 'health', 'relationships', 'life_skills',
        'identity', 'money')),
    going_well TEXT,
    worries TEXT,
    own_words TEXT,
    PRIMARY KEY (plan_id, area),
    UNIQUE (la_id, plan_id, area),
    FOREIGN KEY (la_id, plan_id) REFERENCES plans (la_id, id)
);

CREATE TABLE plan_goals (
    id {{id}},
    la_id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    area TEXT NOT NULL,
    position BIGINT NOT NULL,
    goal TEXT NOT NULL,
    UNIQUE (la_id, id),
    UNIQUE (plan_id, area, position),
    FOREIGN KEY (la_id, plan_id, area) REFERENCES plan_sections (la_id, plan_id, area)
);

-- An action's owner is a member of staff, or the young person when NULL.
CREATE TABLE plan_actions (
    id {{id}},
    la_id BIGINT NOT NULL,
    goal_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    action TEXT NOT NULL,
    owner_staff_id BIGINT,
    due_on TEXT CHECK (due_on IS NULL OR due_on LIKE '____-__-__'),
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'not_needed')),
    UNIQUE (goal_id, position),
    FOREIGN KEY (la_id, goal_id) REFERENCES plan_goals (la_id, id),
    FOREIGN KEY (la_id, owner_staff_id) REFERENCES staff (la_id, id)
);
