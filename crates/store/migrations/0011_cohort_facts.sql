-- Facts about each young person derived from their care episodes on a given
-- day (Staying Close eligibility and care-leaver status), kept beside the
-- record so the cohort page can filter, sort and count the whole LA without
-- reading every episode on each request. `facts_on` is the day they were
-- worked out; NULL means they must be worked out again (their episodes
-- changed). They are recomputed for stale rows only, at most once a day.
ALTER TABLE young_people ADD COLUMN sc_eligible BIGINT CHECK (sc_eligible IS NULL OR sc_eligible IN (0, 1));
ALTER TABLE young_people ADD COLUMN care_leaver_status TEXT;
ALTER TABLE young_people ADD COLUMN facts_on TEXT;
CREATE INDEX young_people_facts ON young_people (la_id, facts_on);
CREATE INDEX young_people_by_child_id ON young_people (la_id, child_id);
-- Counting and sorting the cohort read this index alone, never the rows.
CREATE INDEX young_people_cohort_names ON young_people (la_id, cohort_status, last_name, first_name);
