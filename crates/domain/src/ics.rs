//! iCalendar (RFC 5545) for the personal calendar feed: all-day events,
//! text escaped (3.3.11), lines folded at 75 octets without splitting a
//! character (3.1), CRLF line ends.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllDayEvent {
    /// Unique and stable for the same event, so calendars update it in place.
    pub uid: String,
    pub on: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// Escapes TEXT: backslash, semicolon, comma and line breaks.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line: at most 75 octets a line, continuation lines
/// starting with a space, never splitting a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
    out
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A whole calendar: `name` is shown by calendar apps.
pub fn calendar(name: &str, events: &[AllDayEvent], now: DateTime<Utc>) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Staying Close//Casework calendar//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
    ] {
        out.push_str(&fold(&line));
    }
    for e in events {
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape_text(&e.uid)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", date(e.on)),
            format!("DTEND;VALUE=DATE:{}", date(e.on + Duration::days(1))),
            format!("SUMMARY:{}", escape_text(&e.summary)),
            format!("DESCRIPTION:{}", escape_text(&e.description)),
            "TRANSP:TRANSPARENT".to_owned(),
            "END:VEVENT".to_owned(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("Visit, then; call\\back\nlater"), "Visit\\, then\\; call\\\\back\\nlater");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line, "unfolding gives the line back");
    }

    #[test]
    fn a_calendar_has_every_required_property_and_crlf_ends() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z").unwrap().with_timezone(&Utc);
        let event = AllDayEvent {
            uid: "visit-1-2026-12-03@staying-close".into(),
            on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            summary: "Home visit due: Jordan E.".into(),
            description: "Every 2 weeks".into(),
        };
        let ics = calendar("My visits", &[event], now);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTAMP:20261201T093000Z\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20261203\r\nDTEND;VALUE=DATE:20261204\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends CRLF");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), ics.matches("END:VEVENT").count());
    }
}
