-- Each LA's contacts counted by month, kind, topics and statutory support
-- tags, with the home visits among them that were due and on time: kept in
-- step with every contact and visit schedule written, and read by the
-- impact report and the national roll-up for whole months (ADR 0014).
-- Rows are filled from the contacts when this migration is applied.
CREATE TABLE contact_months (
    la_id BIGINT NOT NULL REFERENCES local_authorities (id),
    month TEXT NOT NULL CHECK (month LIKE '____-__'),
    kind TEXT NOT NULL,
    topics TEXT NOT NULL,
    support_areas TEXT NOT NULL,
    support_forms TEXT NOT NULL,
    -- No CHECKs on the counts: a change is added as a row of differences
    -- (`INSERT … ON CONFLICT DO UPDATE`), which may be negative.
    contacts BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    visits_due BIGINT NOT NULL,
    visits_on_time BIGINT NOT NULL,
    PRIMARY KEY (la_id, month, kind, topics, support_areas, support_forms)
);
