-- Grant allocations and spend lines per financial year (named by the year
-- it starts in), in pence.
CREATE TABLE funding_grants (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    year_start BIGINT NOT NULL CHECK (year_start BETWEEN 2000 AND 2100),
    source TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id)
);
CREATE INDEX funding_grants_by_year ON funding_grants (la_id, year_start);

CREATE TABLE funding_spend (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    year_start BIGINT NOT NULL CHECK (year_start BETWEEN 2000 AND 2100),
    spent_on TEXT NOT NULL CHECK (spent_on LIKE '____-__-__'),
    description TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('staff', 'accommodation', 'activities', 'celebrations', 'training', 'other')),
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    UNIQUE (la_id, id)
);
CREATE INDEX funding_spend_by_year ON funding_spend (la_id, year_start, spent_on);
