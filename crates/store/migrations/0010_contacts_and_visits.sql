-- Contacts and direct work with young people, who was there, and each young
-- person's visit schedule.
--
-- `visit_schedules` keeps the date of the latest home visit and the date the
-- next one is due, maintained in the same transaction as the contact that
-- changes them, so lists of who is overdue never read every contact.
CREATE TABLE contacts (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    occurred_on TEXT NOT NULL CHECK (occurred_on LIKE '____-__-__'),
    occurred_time TEXT CHECK (occurred_time IS NULL OR occurred_time LIKE '__:__'),
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
    kind TEXT NOT NULL CHECK (kind IN ('home_visit', 'phone_text_video', 'pa_direct_work', 'eet', 'housing',
        'emotional_health', 'health', 'trusted_person', 'group_activity', 'crisis_response')),
    topics TEXT NOT NULL DEFAULT '',
    place TEXT,
    notes TEXT,
    crisis BIGINT NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1)),
    follow_up TEXT,
    follow_up_owner_id BIGINT,
    follow_up_done_on TEXT CHECK (follow_up_done_on IS NULL OR follow_up_done_on LIKE '____-__-__'),
    recorded_by BIGINT,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK ((crisis = 1) = (follow_up IS NOT NULL AND follow_up_owner_id IS NOT NULL)),
    UNIQUE (la_id, id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id),
    FOREIGN KEY (la_id, follow_up_owner_id) REFERENCES staff (la_id, id)
);
CREATE INDEX contacts_by_young_person ON contacts (la_id, young_person_id, occurred_on);
-- Open crisis follow-ups are few among many contacts: partial indexes hold only them.
CREATE INDEX contacts_open_crises_by_owner ON contacts (la_id, follow_up_owner_id)
    WHERE crisis = 1 AND follow_up_done_on IS NULL;
CREATE INDEX contacts_open_crises_by_person ON contacts (la_id, young_person_id)
    WHERE crisis = 1 AND follow_up_done_on IS NULL;
-- Support hours for a week across a team read one week of contacts.
CREATE INDEX contacts_by_day ON contacts (la_id, occurred_on);

CREATE TABLE contact_staff (
    la_id BIGINT NOT NULL,
    contact_id BIGINT NOT NULL,
    staff_id BIGINT NOT NULL,
    PRIMARY KEY (contact_id, staff_id),
    FOREIGN KEY (la_id, contact_id) REFERENCES contacts (la_id, id),
    FOREIGN KEY (la_id, staff_id) REFERENCES staff (la_id, id)
);
CREATE INDEX contact_staff_by_staff ON contact_staff (la_id, staff_id);

CREATE TABLE visit_schedules (
    id {{id}},
    la_id BIGINT NOT NULL,
    young_person_id BIGINT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'daily')),
    starts_on TEXT NOT NULL CHECK (starts_on LIKE '____-__-__'),
    last_home_visit_on TEXT CHECK (last_home_visit_on IS NULL OR last_home_visit_on LIKE '____-__-__'),
    next_due_on TEXT NOT NULL CHECK (next_due_on LIKE '____-__-__'),
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (la_id, young_person_id),
    FOREIGN KEY (la_id, young_person_id) REFERENCES young_people (la_id, id)
);
CREATE INDEX visit_schedules_by_due ON visit_schedules (la_id, next_due_on);
