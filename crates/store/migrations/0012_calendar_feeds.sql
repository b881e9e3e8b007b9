-- Personal calendar feeds: one secret link per member of staff, stored as
-- the SHA-256 of its token, revocable (a new link replaces the old one).
CREATE TABLE calendar_feeds (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    staff_id BIGINT NOT NULL UNIQUE REFERENCES staff (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
