-- Each LA's dates for festivals that move with their calendars (Eid, Diwali,
-- Vaisakhi, Hanukkah, Lunar New Year), kept by the LA administrator.
CREATE TABLE festival_dates (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    celebration TEXT NOT NULL CHECK (celebration IN ('eid_al_fitr', 'eid_al_adha', 'diwali', 'vaisakhi', 'hanukkah',
        'lunar_new_year')),
    occurs_on TEXT NOT NULL CHECK (occurs_on LIKE '____-__-__'),
    created_at TEXT NOT NULL,
    UNIQUE (la_id, celebration, occurs_on),
    UNIQUE (la_id, id)
);
CREATE INDEX festival_dates_by_day ON festival_dates (la_id, occurs_on);

-- Things to do for a young person's occasion (card, cake, gift), with a
-- budget in pence and whether it is done.
CREATE TABLE celebration_tasks (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    occasion_on TEXT NOT NULL CHECK (occasion_on LIKE '____-__-__'),
    celebration TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'cake', 'gift', 'meal', 'other')),
    budget_pence BIGINT NOT NULL CHECK (budget_pence >= 0),
    note TEXT,
    done_on TEXT CHECK (done_on IS NULL OR done_on LIKE '____-__-__'),
    recorded_by BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX celebration_tasks_by_young_person ON celebration_tasks (la_id, young_person_id, occasion_on);
CREATE INDEX celebration_tasks_by_day ON celebration_tasks (la_id, occasion_on);
