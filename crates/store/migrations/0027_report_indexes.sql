-- The impact report counts records by LA and date; these are the tables it
-- reads by date that had no index for it.
CREATE INDEX plans_by_day ON plans (la_id, held_on);
CREATE INDEX staying_close_assessments_by_day ON staying_close_assessments (la_id, assessed_on);
CREATE INDEX contacts_by_kind_and_day ON contacts (la_id, kind, occurred_on);
CREATE INDEX let_occupancies_by_day ON let_occupancies (la_id, starts_on);
CREATE INDEX group_attendance_by_event ON group_attendance (la_id, event_id);
-- Each home visit's previous visit, for visits on time.
CREATE INDEX contacts_by_young_person_and_kind ON contacts (la_id, young_person_id, kind, occurred_on);
