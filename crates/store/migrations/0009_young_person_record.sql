-- The young person's record as practitioners keep it: identifiers, how to
-- reach them, what matters to them, key dates, and closure (records are
-- closed with a reason, never deleted). Celebrations are a comma-separated
-- list of codes; flags are 0 or 1.
ALTER TABLE young_people ADD COLUMN pronouns TEXT;
ALTER TABLE young_people ADD COLUMN upn TEXT CHECK (upn IS NULL OR length(upn) = 13);
ALTER TABLE young_people ADD COLUMN nhs_number TEXT CHECK (nhs_number IS NULL OR length(nhs_number) = 10);
ALTER TABLE young_people ADD COLUMN phone TEXT;
ALTER TABLE young_people ADD COLUMN email TEXT;
ALTER TABLE young_people ADD COLUMN address TEXT;
ALTER TABLE young_people ADD COLUMN languages TEXT;
ALTER TABLE young_people ADD COLUMN faith TEXT;
ALTER TABLE young_people ADD COLUMN celebrations TEXT NOT NULL DEFAULT '';
ALTER TABLE young_people ADD COLUMN disabilities TEXT;
ALTER TABLE young_people ADD COLUMN communication_needs TEXT;
ALTER TABLE young_people ADD COLUMN young_parent BIGINT NOT NULL DEFAULT 0 CHECK (young_parent IN (0, 1));
ALTER TABLE young_people ADD COLUMN expecting BIGINT NOT NULL DEFAULT 0 CHECK (expecting IN (0, 1));
ALTER TABLE young_people ADD COLUMN home_left TEXT;
ALTER TABLE young_people ADD COLUMN home_contact TEXT;
ALTER TABLE young_people ADD COLUMN care_ended_on TEXT CHECK (care_ended_on IS NULL OR care_ended_on LIKE '____-__-__');
ALTER TABLE young_people ADD COLUMN staying_close_start TEXT CHECK (staying_close_start IS NULL OR staying_close_start LIKE '____-__-__');
ALTER TABLE young_people ADD COLUMN staying_close_end TEXT CHECK (staying_close_end IS NULL OR staying_close_end LIKE '____-__-__');
ALTER TABLE young_people ADD COLUMN closed_on TEXT CHECK (closed_on IS NULL OR closed_on LIKE '____-__-__');
ALTER TABLE young_people ADD COLUMN closed_reason TEXT;
ALTER TABLE young_people ADD COLUMN closed_note TEXT;
-- Search by name, case-insensitive, within an LA.
CREATE INDEX young_people_by_name ON young_people (la_id, last_name, first_name);
