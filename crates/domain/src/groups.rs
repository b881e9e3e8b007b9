//! Group activities and the Care Leavers' Forum: events (trips, walking
//! group, life-skills sessions, celebration events, forum meetings) with a
//! date, a cost in pence, the young people and staff who came, and for a
//! forum meeting its topics and actions. Young people are named by their
//! child IDs, as on their records.

use crate::codes::code_list;
use crate::contacts::text;
use crate::fields::{chosen, date, required_text};
use crate::money::Pence;
use crate::profile::{DateParts, FieldErrors};
use chrono::NaiveDate;

code_list! {
    /// What kind of event.
    EventKind {
        Trip => "trip", "Trip or day out";
        Walking => "walking", "Walking group";
        LifeSkills => "life_skills", "Life-skills group (cooking, budgeting, DIY)";
        Celebration => "celebration", "Celebration event";
        Forum => "forum", "Care Leavers' Forum meeting";
        Other => "other", "Something else";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub title: String,
    pub kind: EventKind,
    pub on: NaiveDate,
    pub cost: Pence,
    /// For a forum meeting: what was discussed, and what was agreed.
    pub topics: Option<String>,
    pub actions: Option<String>,
}

/// The most one event may cost.
pub const MAX_COST: Pence = Pence::from_pounds(5_000);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub kind: String,
    pub on: DateParts,
    pub cost: String,
    pub topics: String,
    pub actions: String,
}

impl EventInput {
    pub fn of(e: &Event) -> EventInput {
        EventInput {
            title: e.title.clone(),
            kind: e.kind.code().to_owned(),
            on: DateParts::of(Some(e.on)),
            cost: if e.cost.0 == 0 { String::new() } else { format!("{}.{:02}", e.cost.0 / 100, e.cost.0 % 100) },
            topics: e.topics.clone().unwrap_or_default(),
            actions: e.actions.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<Event, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required_text(&mut errors, "title", "The name of the event", &self.title, 120);
        let kind = chosen(&mut errors, "kind", "Choose the kind of event", EventKind::parse(&self.kind));
        let on = date(&mut errors, "on", "The date", &self.on, true);
        let cost = if self.cost.trim().is_empty() {
            Some(Pence(0))
        } else {
            match Pence::parse(&self.cost) {
                Ok(p) if p.0 < 0 => {
                    errors.add("cost", "The cost cannot be less than £0.00");
                    None
                }
                Ok(p) if p > MAX_COST => {
                    errors.add("cost", format!("The cost must be {MAX_COST} or less"));
                    None
                }
                Ok(p) => Some(p),
                Err(e) => {
                    errors.add("cost", e.to_string());
                    None
                }
            }
        };
        let topics = text(&mut errors, "topics", "The topics", &self.topics, 2000);
        let actions = text(&mut errors, "actions", "The actions", &self.actions, 2000);
        match (title, kind, on, cost) {
            (Some(title), Some(kind), Some(on), Some(cost)) if errors.is_empty() => {
                Ok(Event { title, kind, on, cost, topics, actions })
            }
            _ => Err(errors),
        }
    }
}

/// Child IDs typed into one box, separated by commas, spaces or new lines;
/// each once, in the order typed.
pub fn child_ids(typed: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in typed.split(|c: char| c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()) {
        let id = id.to_uppercase();
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

code_list! {
    /// How a young person took part in running the service.
    InvolvementKind {
        Recruitment => "recruitment", "Recruiting staff (interview panel)";
        ServiceDesign => "service_design", "Designing a service";
        LocalOffer => "local_offer", "Writing the Local Offer";
        Training => "training", "Training staff";
        Other => "other", "Something else";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involvement {
    pub on: NaiveDate,
    pub kind: InvolvementKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvolvementInput {
    pub child_id: String,
    pub on: DateParts,
    pub kind: String,
    pub note: String,
}

impl InvolvementInput {
    pub fn parse(&self, today: NaiveDate) -> Result<(String, Involvement), FieldErrors> {
        let mut errors = FieldErrors::default();
        let child_id = required_text(&mut errors, "child_id", "The young person's child ID", &self.child_id, 10);
        let on = crate::fields::past_date(&mut errors, "involved_on", "The date", &self.on, today, true);
        let kind = chosen(&mut errors, "involvement", "Choose how they took part", InvolvementKind::parse(&self.kind));
        let note = text(&mut errors, "involvement_note", "The note", &self.note, 1000);
        match (child_id, on, kind) {
            (Some(c), Some(on), Some(kind)) if errors.is_empty() => {
                Ok((c.to_uppercase(), Involvement { on, kind, note }))
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_checked_and_child_ids_are_read_once_each() {
        let e = EventInput { cost: "-1".into(), ..EventInput::default() }.parse().unwrap_err();
        assert_eq!(e.get("title"), Some("Enter the name of the event"));
        assert_eq!(e.get("kind"), Some("Choose the kind of event"));
        assert_eq!(e.get("on"), Some("Enter the date"));
        let ok = EventInput {
            title: "Walk".into(),
            kind: "walking".into(),
            on: DateParts::from_iso("2026-11-14"),
            cost: "12.5".into(),
            ..EventInput::default()
        };
        let event = ok.parse().unwrap();
        assert_eq!(event.cost, Pence(1250));
        assert_eq!(EventInput::of(&event).cost, "12.50");
        assert_eq!(child_ids("db000001, DB000002\nDB000001  x1"), vec!["DB000001", "DB000002", "X1"]);
    }
}
