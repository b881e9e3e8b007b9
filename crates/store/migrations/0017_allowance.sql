-- What was spent from each young person's activities allowance, in pence.
-- The monthly allowance itself is an LA setting (activities_allowance_pence).
CREATE TABLE allowance_spends (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    spent_on TEXT NOT NULL CHECK (spent_on LIKE '____-__-__'),
    category TEXT NOT NULL CHECK (category IN ('activity', 'food', 'travel', 'celebration', 'equipment', 'other')),
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX allowance_spends_by_young_person ON allowance_spends (la_id, young_person_id, spent_on);
-- Team totals for a month read one month of spending.
CREATE INDEX allowance_spends_by_day ON allowance_spends (la_id, spent_on);
