-- Each LA's Local Offer for care leavers: its entries, in six categories,
-- and its reviews with the young people who helped write it. Entries hold
-- no personal data and are published without sign-in.
CREATE TABLE offer_items (
    id {{id}},
    la_id BIGINT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('health', 'relationships', 'education', 'employment',
        'accommodation', 'participation')),
    kind TEXT NOT NULL CHECK (kind IN ('statutory', 'additional')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    age_from BIGINT NOT NULL CHECK (age_from BETWEEN 14 AND 25),
    age_to BIGINT NOT NULL CHECK (age_to BETWEEN 14 AND 25),
    how_to_get TEXT NOT NULL,
    contact TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (age_from <= age_to),
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id) REFERENCES local_authorities (id)
);
CREATE INDEX offer_items_by_la ON offer_items (la_id, category, title);

CREATE TABLE offer_reviews (
    id {{id}},
    la_id BIGINT NOT NULL,
    reviewed_on TEXT NOT NULL CHECK (reviewed_on LIKE '____-__-__'),
    next_review_on TEXT NOT NULL CHECK (next_review_on LIKE '____-__-__'),
    note TEXT,
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    CHECK (next_review_on > reviewed_on),
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id) REFERENCES local_authorities (id)
);
CREATE INDEX offer_reviews_by_la ON offer_reviews (la_id, reviewed_on);

CREATE TABLE offer_review_young_people (
    la_id BIGINT NOT NULL,
    review_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    PRIMARY KEY (review_id, young_person_id),
    FOREIGN KEY (la_id, review_id) REFERENCES offer_reviews (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
