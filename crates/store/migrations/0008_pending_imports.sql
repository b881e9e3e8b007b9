-- SSDA903 files that passed every check and wait for the person who uploaded
-- them to confirm the import, having seen what it will change. Each belongs to
-- one member of staff in one LA and lasts an hour.
CREATE TABLE pending_imports (
    id {{id}},
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    file_names TEXT NOT NULL,
    header_csv TEXT NOT NULL,
    episodes_csv TEXT NOT NULL,
    oc3_csv TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_imports_by_staff ON pending_imports (staff_id);
