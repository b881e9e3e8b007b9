//! The Staying Close part of a young person's pathway plan: for each area of
//! their life, what is going well, what worries them or others, their own
//! words, and goals with actions. A plan is agreed at a meeting and reviewed
//! at least every six months; each review starts a new version, and older
//! versions stay as they were so two can be compared.

use crate::codes::code_list;
use crate::contacts::text;
use crate::profile::{DateParts, FieldErrors};
use chrono::{Months, NaiveDate};

code_list! {
    /// The areas a plan covers, in the order the plan shows them.
    PlanArea {
        Accommodation => "accommodation", "Accommodation";
        Eet => "eet", "Education, employment and training";
        Health => "health", "Health and emotional wellbeing";
        Relationships => "relationships", "Relationships, family and support network";
        LifeSkills => "life_skills", "Practical life skills";
        Identity => "identity", "Identity, participation and community";
        Money => "money", "Money";
    }
}

impl PlanArea {
    /// What the area covers, as a hint on its form.
    pub fn hint(self) -> &'static str {
        match self {
            PlanArea::Accommodation => "Where they live, how settled it is, and what comes next",
            PlanArea::Eet => "College, training, work, volunteering and what they want to do",
            PlanArea::Health => "Physical health, emotional wellbeing, registration with a GP and dentist",
            PlanArea::Relationships => {
                "Family, friends, the people from their children's home and their trusted person"
            }
            PlanArea::LifeSkills => "Cooking, cleaning, budgeting, DIY and time management",
            PlanArea::Identity => "Culture, faith, interests, having a say and being part of the community",
            PlanArea::Money => "Income, benefits, bills, savings and debts",
        }
    }
}

code_list! {
    /// Where an action stands.
    ActionStatus {
        NotStarted => "not_started", "Not started";
        InProgress => "in_progress", "In progress";
        Done => "done", "Done";
        NotNeeded => "not_needed", "No longer needed";
    }
}

impl ActionStatus {
    /// The GOV.UK tag colour for the status.
    pub fn colour(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "grey",
            ActionStatus::InProgress => "blue",
            ActionStatus::Done => "green",
            ActionStatus::NotNeeded => "yellow",
        }
    }
}

/// Who will do an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionOwner {
    YoungPerson,
    /// A member of the LA's staff, by id.
    Staff(i64),
}

impl ActionOwner {
    /// The form's value: `young_person`, or the member of staff's id.
    pub fn code(self) -> String {
        match self {
            ActionOwner::YoungPerson => "young_person".to_owned(),
            ActionOwner::Staff(id) => id.to_string(),
        }
    }
}

/// The most goals one area of a plan holds, and the most actions per goal.
pub const MAX_GOALS: usize = 10;
pub const MAX_ACTIONS: usize = 10;
/// The longest "going well", "worries" or "their words" text.
pub const MAX_NOTE: usize = 4000;
/// The longest goal or action.
pub const MAX_LINE: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub text: String,
    pub owner: ActionOwner,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub text: String,
    pub actions: Vec<Action>,
}

/// One area of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub area: PlanArea,
    pub going_well: Option<String>,
    pub worries: Option<String>,
    /// What the young person said, in their own words.
    pub own_words: Option<String>,
    pub goals: Vec<Goal>,
}

impl Section {
    pub fn empty(area: PlanArea) -> Section {
        Section { area, going_well: None, worries: None, own_words: None, goals: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.going_well.is_none() && self.worries.is_none() && self.own_words.is_none() && self.goals.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub text: String,
    pub owner: String,
    pub due: DateParts,
    pub status: String,
}

impl ActionInput {
    /// Nothing typed (an owner or status chosen alone does not count).
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.due.is_blank()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalInput {
    pub text: String,
    pub actions: Vec<ActionInput>,
}

impl GoalInput {
    /// Nothing typed in the goal or any of its actions.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.actions.iter().all(ActionInput::is_blank)
    }
}

/// One area of a plan as typed. Goals and actions left blank are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionInput {
    pub going_well: String,
    pub worries: String,
    pub own_words: String,
    pub goals: Vec<GoalInput>,
}

/// The id of a goal's text field (goals count from 1).
pub fn goal_field(goal: usize) -> String {
    format!("goal-{goal}")
}

/// The id of an action's field: `part` is "" for its text, or "owner",
/// "due" or "status" (actions count from 1).
pub fn action_field(goal: usize, action: usize, part: &str) -> String {
    if part.is_empty() {
        format!("goal-{goal}-action-{action}")
    } else {
        format!("goal-{goal}-action-{action}-{part}")
    }
}

impl SectionInput {
    /// The input a form shows for a saved section.
    pub fn of(section: &Section) -> SectionInput {
        SectionInput {
            going_well: section.going_well.clone().unwrap_or_default(),
            worries: section.worries.clone().unwrap_or_default(),
            own_words: section.own_words.clone().unwrap_or_default(),
            goals: section
                .goals
                .iter()
                .map(|g| GoalInput {
                    text: g.text.clone(),
                    actions: g
                        .actions
                        .iter()
                        .map(|a| ActionInput {
                            text: a.text.clone(),
                            owner: a.owner.code(),
                            due: DateParts::of(a.due_on),
                            status: a.status.code().to_owned(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// Checks every field; `known_staff` are the ids of staff an action may
    /// be given to. Every problem is named, by the field it is in.
    pub fn parse(&self, area: PlanArea, known_staff: &[i64]) -> Result<Section, FieldErrors> {
        let mut errors = FieldErrors::default();
        let going_well = text(&mut errors, "going_well", "What is going well", &self.going_well, MAX_NOTE);
        let worries = text(&mut errors, "worries", "What worries them or others", &self.worries, MAX_NOTE);
        let own_words = text(&mut errors, "own_words", "Their own words", &self.own_words, MAX_NOTE);
        let mut goals = Vec::new();
        for (g, goal) in self.goals.iter().enumerate() {
            let g = g + 1;
            let actions_typed: Vec<(usize, &ActionInput)> =
                goal.actions.iter().enumerate().map(|(a, x)| (a + 1, x)).filter(|(_, x)| !x.is_blank()).collect();
            if goal.text.trim().is_empty() {
                if !actions_typed.is_empty() {
                    errors.add(goal_field(g), format!("Enter goal {g}, or clear its actions"));
                }
                continue;
            }
            if goals.len() == MAX_GOALS {
                errors.add(goal_field(g), format!("An area can have up to {MAX_GOALS} goals"));
                continue;
            }
            let goal_text = text(&mut errors, goal_field(g), &format!("Goal {g}"), &goal.text, MAX_LINE);
            let mut actions = Vec::new();
            for (a, action) in actions_typed {
                if actions.len() == MAX_ACTIONS {
                    errors.add(action_field(g, a, ""), format!("A goal can have up to {MAX_ACTIONS} actions"));
                    break;
                }
                let label = format!("Action {a} of goal {g}");
                let action_text = if action.text.trim().is_empty() {
                    errors.add(action_field(g, a, ""), format!("Enter what {} is", label.to_lowercase()));
                    None
                } else {
                    text(&mut errors, action_field(g, a, ""), &label, &action.text, MAX_LINE)
                };
                let owner = match action.owner.trim() {
                    "young_person" => Some(ActionOwner::YoungPerson),
                    "" => {
                        errors.add(action_field(g, a, "owner"), format!("Choose who will do {}", label.to_lowercase()));
                        None
                    }
                    other => match other.parse::<i64>() {
                        Ok(id) if known_staff.contains(&id) => Some(ActionOwner::Staff(id)),
                        _ => {
                            errors.add(
                                action_field(g, a, "owner"),
                                format!("Choose who will do {} from the list", label.to_lowercase()),
                            );
                            None
                        }
                    },
                };
                let due_on = match action.due.parse(&format!("The due date of {}", label.to_lowercase())) {
                    Ok(d) => d,
                    Err(message) => {
                        errors.add(action_field(g, a, "due"), message);
                        None
                    }
                };
                let status = match action.status.trim() {
                    "" => Some(ActionStatus::NotStarted),
                    code => ActionStatus::parse(code).or_else(|| {
                        errors
                            .add(action_field(g, a, "status"), format!("Choose where {} stands", label.to_lowercase()));
                        None
                    }),
                };
                if let (Some(text), Some(owner), Some(status)) = (action_text, owner, status) {
                    actions.push(Action { text, owner, due_on, status });
                }
            }
            if let Some(text) = goal_text {
                goals.push(Goal { text, actions });
            }
        }
        if errors.is_empty() {
            Ok(Section { area, going_well, worries, own_words, goals })
        } else {
            Err(errors)
        }
    }
}

/// The longest a plan may run before it is reviewed.
pub const REVIEW_MONTHS: u32 = 6;

/// The meeting that agreed a version of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub held_on: NaiveDate,
    pub review_due_on: NaiveDate,
    pub took_part: bool,
    pub agreed: bool,
    /// What the young person said about the plan, in their words.
    pub their_view: Option<String>,
}

/// The latest review date allowed for a plan agreed on `held_on`.
pub fn latest_review(held_on: NaiveDate) -> NaiveDate {
    held_on.checked_add_months(Months::new(REVIEW_MONTHS)).unwrap_or(held_on)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingInput {
    pub held_on: DateParts,
    pub review_on: DateParts,
    /// "yes" or "no".
    pub took_part: String,
    /// "yes" or "no".
    pub agreed: String,
    pub their_view: String,
}

impl MeetingInput {
    pub fn of(meeting: &Meeting) -> MeetingInput {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        MeetingInput {
            held_on: DateParts::of(Some(meeting.held_on)),
            review_on: DateParts::of(Some(meeting.review_due_on)),
            took_part: yes_no(meeting.took_part),
            agreed: yes_no(meeting.agreed),
            their_view: meeting.their_view.clone().unwrap_or_default(),
        }
    }

    /// Checks the meeting's details. `previous` is when the version before
    /// was agreed (a review cannot come before it); `today` bounds the
    /// meeting date, which has happened.
    pub fn parse(&self, previous: Option<NaiveDate>, today: NaiveDate) -> Result<Meeting, FieldErrors> {
        let mut errors = FieldErrors::default();
        let held_on = match self.held_on.parse("The date of the meeting") {
            Ok(None) => {
                errors.add("held_on", "Enter the date of the meeting");
                None
            }
            Ok(Some(d)) if d > today => {
                errors.add("held_on", "The date of the meeting must be today or in the past");
                None
            }
            Ok(Some(d)) if previous.is_some_and(|p| d < p) => {
                let p = previous.map(crate::dates::format_uk).unwrap_or_default();
                errors.add("held_on", format!("The date of the meeting must be on or after the last review, {p}"));
                None
            }
            Ok(Some(d)) if (today - d).num_days() > 366 => {
                errors.add("held_on", "The date of the meeting must be within the last year");
                None
            }
            Ok(d) => d,
            Err(message) => {
                errors.add("held_on", message);
                None
            }
        };
        let review_due_on = match (self.review_on.parse("The review date"), held_on) {
            (Ok(None), _) => {
                errors.add("review_on", "Enter the date of the next review");
                None
            }
            (Ok(Some(r)), Some(h)) if r <= h => {
                errors.add("review_on", "The review date must be after the date of the meeting");
                None
            }
            (Ok(Some(r)), Some(h)) if r > latest_review(h) => {
                errors.add(
                    "review_on",
                    format!(
                        "The review date must be within {REVIEW_MONTHS} months of the meeting, by {}",
                        crate::dates::format_uk(latest_review(h))
                    ),
                );
                None
            }
            (Ok(r), _) => r,
            (Err(message), _) => {
                errors.add("review_on", message);
                None
            }
        };
        let yes_no = |errors: &mut FieldErrors, field: &'static str, value: &str, message: &str| match value.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.add(field, message);
                None
            }
        };
        let took_part = yes_no(&mut errors, "took_part", &self.took_part, "Say whether they took part in the meeting");
        let agreed = yes_no(&mut errors, "agreed", &self.agreed, "Say whether they agreed the plan");
        let their_view = text(&mut errors, "their_view", "What they said about the plan", &self.their_view, MAX_NOTE);
        match (held_on, review_due_on, took_part, agreed) {
            (Some(held_on), Some(review_due_on), Some(took_part), Some(agreed)) if errors.is_empty() => {
                Ok(Meeting { held_on, review_due_on, took_part, agreed, their_view })
            }
            _ => Err(errors),
        }
    }
}

/// How close a plan's review is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    Upcoming {
        due: NaiveDate,
    },
    /// Due within [`REVIEW_SOON_DAYS`].
    DueSoon {
        due: NaiveDate,
        days: u32,
    },
    Overdue {
        due: NaiveDate,
        days: u32,
    },
}

/// How many days ahead a review counts as due.
pub const REVIEW_SOON_DAYS: i64 = 28;

impl ReviewStatus {
    pub fn of(due: NaiveDate, today: NaiveDate) -> ReviewStatus {
        let days = (due - today).num_days();
        if days < 0 {
            ReviewStatus::Overdue { due, days: u32::try_from(-days).unwrap_or(u32::MAX) }
        } else if days <= REVIEW_SOON_DAYS {
            ReviewStatus::DueSoon { due, days: u32::try_from(days).unwrap_or(u32::MAX) }
        } else {
            ReviewStatus::Upcoming { due }
        }
    }

    pub fn is_due(self) -> bool {
        !matches!(self, ReviewStatus::Upcoming { .. })
    }

    /// In words, with a tag colour: "Review overdue by 3 days (due 1 May 2026)".
    pub fn words(self) -> (String, &'static str) {
        use crate::dates::format_uk;
        use crate::words::count;
        match self {
            ReviewStatus::Upcoming { due } => (format!("Review due {}", format_uk(due)), "blue"),
            ReviewStatus::DueSoon { due, days: 0 } => (format!("Review due today ({})", format_uk(due)), "yellow"),
            ReviewStatus::DueSoon { due, days } => {
                (format!("Review due in {} ({})", count(days.into(), "day", "days"), format_uk(due)), "yellow")
            }
            ReviewStatus::Overdue { due, days } => {
                (format!("Review overdue by {} (due {})", count(days.into(), "day", "days"), format_uk(due)), "red")
            }
        }
    }
}

/// A plan version's sections in area order, an empty one for each area
/// with nothing recorded.
pub fn all_areas(sections: &[Section]) -> Vec<Section> {
    PlanArea::ALL
        .iter()
        .map(|area| sections.iter().find(|s| s.area == *area).cloned().unwrap_or_else(|| Section::empty(*area)))
        .collect()
}

/// One line of a comparison: the same part of two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedLine {
    pub label: String,
    pub older: Option<String>,
    pub newer: Option<String>,
}

impl ComparedLine {
    pub fn changed(&self) -> bool {
        self.older != self.newer
    }
}

/// One area of two versions side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedArea {
    pub area: PlanArea,
    pub lines: Vec<ComparedLine>,
}

impl ComparedArea {
    pub fn changed(&self) -> bool {
        self.lines.iter().any(ComparedLine::changed)
    }
}

/// A goal and its actions as text, one action to a line:
/// "Cook three meals a week — Jade, due 1 March 2027, in progress".
pub fn describe_goal(goal: &Goal, owner_name: &dyn Fn(ActionOwner) -> String) -> String {
    let mut out = goal.text.clone();
    for action in &goal.actions {
        out.push_str("\n• ");
        out.push_str(&action.text);
        out.push_str(" (");
        out.push_str(&owner_name(action.owner));
        if let Some(due) = action.due_on {
            out.push_str(", due ");
            out.push_str(&crate::dates::format_uk(due));
        }
        out.push_str(", ");
        out.push_str(&action.status.label().to_lowercase());
        out.push(')');
    }
    out
}

/// Two versions area by area: the notes line by line, and goals matched by
/// their words (a goal only in one version shows as added or gone).
pub fn compare(older: &[Section], newer: &[Section], owner_name: &dyn Fn(ActionOwner) -> String) -> Vec<ComparedArea> {
    let (older, newer) = (all_areas(older), all_areas(newer));
    older
        .iter()
        .zip(newer.iter())
        .map(|(a, b)| {
            let mut lines = vec![
                ComparedLine { label: "Going well".into(), older: a.going_well.clone(), newer: b.going_well.clone() },
                ComparedLine { label: "Worries".into(), older: a.worries.clone(), newer: b.worries.clone() },
                ComparedLine { label: "Their words".into(), older: a.own_words.clone(), newer: b.own_words.clone() },
            ];
            let find = |goals: &[Goal], text: &str| goals.iter().find(|g| g.text == text).cloned();
            let mut n = 0;
            for goal in &b.goals {
                n += 1;
                lines.push(ComparedLine {
                    label: format!("Goal {n}"),
                    older: find(&a.goals, &goal.text).map(|g| describe_goal(&g, owner_name)),
                    newer: Some(describe_goal(goal, owner_name)),
                });
            }
            for goal in a.goals.iter().filter(|g| find(&b.goals, &g.text).is_none()) {
                n += 1;
                lines.push(ComparedLine {
                    label: format!("Goal {n}"),
                    older: Some(describe_goal(goal, owner_name)),
                    newer: None,
                });
            }
            ComparedArea { area: a.area, lines }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn meeting(held: &str, review: &str) -> MeetingInput {
        MeetingInput {
            held_on: DateParts::from_iso(held),
            review_on: DateParts::from_iso(review),
            took_part: "yes".into(),
            agreed: "no".into(),
            their_view: "  I want to stay near Oak House  ".into(),
        }
    }

    #[test]
    fn a_review_may_be_set_up_to_six_months_ahead() {
        let today = d(2026, 12, 1);
        let m = meeting("2026-11-30", "2027-05-30").parse(None, today).unwrap();
        assert_eq!(m.review_due_on, d(2027, 5, 30));
        assert!(m.took_part && !m.agreed);
        assert_eq!(m.their_view.as_deref(), Some("I want to stay near Oak House"));
        let e = meeting("2026-11-30", "2027-05-31").parse(None, today).unwrap_err();
        assert_eq!(e.get("review_on"), Some("The review date must be within 6 months of the meeting, by 30 May 2027"));
    }

    #[test]
    fn six_months_from_the_end_of_august_is_the_end_of_february() {
        assert_eq!(latest_review(d(2026, 8, 31)), d(2027, 2, 28));
        assert_eq!(latest_review(d(2027, 8, 31)), d(2028, 2, 29));
    }

    #[test]
    fn a_meeting_names_every_problem() {
        let input = MeetingInput { held_on: DateParts::from_iso("2027-01-01"), ..MeetingInput::default() };
        let e = input.parse(None, d(2026, 12, 1)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(fields, ["held_on", "review_on", "took_part", "agreed"]);
        assert_eq!(e.get("held_on"), Some("The date of the meeting must be today or in the past"));
    }

    #[test]
    fn a_review_cannot_come_before_the_last_one() {
        let e = meeting("2026-10-01", "2027-01-01").parse(Some(d(2026, 11, 1)), d(2026, 12, 1)).unwrap_err();
        assert_eq!(
            e.get("held_on"),
            Some("The date of the meeting must be on or after the last review, 1 November 2026")
        );
        let e = meeting("2026-11-01", "2026-11-01").parse(None, d(2026, 12, 1)).unwrap_err();
        assert_eq!(e.get("review_on"), Some("The review date must be after the date of the meeting"));
    }

    fn action(text: &str, owner: &str, due: &str, status: &str) -> ActionInput {
        ActionInput { text: text.into(), owner: owner.into(), due: DateParts::from_iso(due), status: status.into() }
    }

    #[test]
    fn blank_goals_and_actions_are_dropped_and_the_rest_kept() {
        let input = SectionInput {
            going_well: "Cooks twice a week".into(),
            goals: vec![
                GoalInput {
                    text: "Cook for friends".into(),
                    actions: vec![
                        action("Plan a menu", "young_person", "2027-01-10", "in_progress"),
                        action("", "", "", "not_started"),
                        action("Shop with Kev", "7", "", ""),
                    ],
                },
                GoalInput { text: " ".into(), actions: vec![action("", "young_person", "", "not_started")] },
            ],
            ..SectionInput::default()
        };
        let s = input.parse(PlanArea::LifeSkills, &[7]).unwrap();
        assert_eq!(s.goals.len(), 1);
        assert_eq!(s.goals[0].actions.len(), 2);
        assert_eq!(s.goals[0].actions[0].due_on, Some(d(2027, 1, 10)));
        assert_eq!(s.goals[0].actions[1].owner, ActionOwner::Staff(7));
        assert_eq!(s.goals[0].actions[1].status, ActionStatus::NotStarted);
        assert_eq!(SectionInput::of(&s).parse(PlanArea::LifeSkills, &[7]).unwrap(), s);
    }

    #[test]
    fn each_bad_action_field_is_named() {
        let input = SectionInput {
            goals: vec![
                GoalInput { text: "".into(), actions: vec![action("Orphan", "young_person", "", "")] },
                GoalInput {
                    text: "Budget".into(),
                    actions: vec![action("", "", "2027-02-30", "bogus"), action("Open an account", "99", "", "")],
                },
            ],
            ..SectionInput::default()
        };
        let e = input.parse(PlanArea::Money, &[7]).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_ref()).collect();
        assert_eq!(
            fields,
            [
                "goal-1",
                "goal-2-action-1",
                "goal-2-action-1-owner",
                "goal-2-action-1-due",
                "goal-2-action-1-status",
                "goal-2-action-2-owner"
            ]
        );
        assert_eq!(e.get("goal-1"), Some("Enter goal 1, or clear its actions"));
        assert_eq!(e.get("goal-2-action-2-owner"), Some("Choose who will do action 2 of goal 2 from the list"));
    }

    #[test]
    fn review_status_counts_days() {
        let today = d(2026, 12, 1);
        assert_eq!(ReviewStatus::of(d(2026, 11, 28), today), ReviewStatus::Overdue { due: d(2026, 11, 28), days: 3 });
        assert!(ReviewStatus::of(d(2026, 12, 29), today).is_due());
        assert!(!ReviewStatus::of(d(2026, 12, 30), today).is_due());
        assert_eq!(
            ReviewStatus::of(d(2026, 11, 30), today).words().0,
            "Review overdue by 1 day (due 30 November 2026)"
        );
        assert_eq!(ReviewStatus::of(today, today).words().0, "Review due today (1 December 2026)");
    }

    #[test]
    fn comparing_versions_matches_goals_by_their_words() {
        let goal = |text: &str, status: ActionStatus| Goal {
            text: text.into(),
            actions: vec![Action {
                text: "Practise".into(),
                owner: ActionOwner::YoungPerson,
                due_on: Some(d(2027, 1, 5)),
                status,
            }],
        };
        let older = vec![Section {
            going_well: Some("Settled".into()),
            goals: vec![goal("Cook", ActionStatus::InProgress), goal("Learn to drive", ActionStatus::NotStarted)],
            ..Section::empty(PlanArea::LifeSkills)
        }];
        let newer = vec![Section {
            going_well: Some("Settled".into()),
            goals: vec![goal("Cook", ActionStatus::Done), goal("Keep a budget", ActionStatus::NotStarted)],
            ..Section::empty(PlanArea::LifeSkills)
        }];
        let name = |o: ActionOwner| match o {
            ActionOwner::YoungPerson => "Jade".to_owned(),
            ActionOwner::Staff(_) => "staff".to_owned(),
        };
        let areas = compare(&older, &newer, &name);
        assert_eq!(areas.len(), PlanArea::ALL.len());
        let skills = areas.iter().find(|a| a.area == PlanArea::LifeSkills).unwrap();
        assert!(skills.changed());
        assert!(!areas.iter().find(|a| a.area == PlanArea::Money).unwrap().changed());
        let lines: Vec<(&str, bool, bool, bool)> = skills
            .lines
            .iter()
            .map(|l| (l.label.as_str(), l.older.is_some(), l.newer.is_some(), l.changed()))
            .collect();
        assert_eq!(
            lines,
            [
                ("Going well", true, true, false),
                ("Worries", false, false, false),
                ("Their words", false, false, false),
                ("Goal 1", true, true, true),
                ("Goal 2", false, true, true),
                ("Goal 3", true, false, true),
            ]
        );
        assert_eq!(skills.lines[3].newer.as_deref(), Some("Cook\n• Practise (Jade, due 5 January 2027, done)"));
    }
}
