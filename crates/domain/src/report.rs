//! The impact report: the period it covers, the measures it counts and the
//! rates worked out from them. Every measure is a count of records, so each
//! figure can be checked against the list of records behind it.

use crate::contacts::Topic;
use crate::funding::FinancialYear;
use crate::health::Pathway;
use crate::parents::ParentOutcomeKind;
use crate::profile::{DateParts, FieldErrors};
use crate::statutory::{SupportArea, SupportForm};
use crate::visits::VisitFrequency;
use chrono::{Datelike, Duration, Months, NaiveDate};
use std::collections::BTreeMap;

/// The longest period a report covers.
pub const MAX_YEARS: u32 = 5;

/// The dates a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn of_year(year: FinancialYear) -> Period {
        Period { from: year.first_day(), to: year.last_day() }
    }

    /// The last financial year that has ended by `today`.
    pub fn last_complete_year(today: NaiveDate) -> Period {
        Period::of_year(FinancialYear::holding(today).previous())
    }

    /// Reads the two dates typed (or given as `YYYY-MM-DD`); both blank means
    /// the last complete financial year. Each problem names its field.
    pub fn parse(from: &DateParts, to: &DateParts, today: NaiveDate) -> Result<Period, FieldErrors> {
        if from.is_blank() && to.is_blank() {
            return Ok(Period::last_complete_year(today));
        }
        let mut errors = FieldErrors::default();
        let mut read = |field: &'static str, parts: &DateParts, label: &str| match parts.parse(label) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add(field, format!("Enter {}", label.to_lowercase()));
                None
            }
            Err(message) => {
                errors.add(field, message);
                None
            }
        };
        let start = read("from", from, "The start date");
        let end = read("to", to, "The end date");
        if let (Some(from), Some(to)) = (start, end) {
            if to < from {
                errors.add("to", "The end date must be the same as or after the start date");
            } else if from + Months::new(12 * MAX_YEARS) <= to {
                errors.add("to", format!("A report covers at most {MAX_YEARS} years"));
            } else {
                return Ok(Period { from, to });
            }
        }
        Err(errors)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        day >= self.from && day <= self.to
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The first day of each month the period touches, in order.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut month = self.from.with_day(1).expect("day 1 exists");
        while month <= self.to {
            out.push(month);
            month = month + Months::new(1);
        }
        out
    }

    /// The last day of the month starting `month`, or the period's end.
    pub fn month_end(&self, month: NaiveDate) -> NaiveDate {
        (month + Months::new(1) - Duration::days(1)).min(self.to)
    }

    /// How the period's contacts are counted with the least reading of
    /// records. Whole months come from the counts kept by month. A month the
    /// period covers only in part comes from the kept counts too when the
    /// period holds most of its days, less the other days counted from the
    /// records; otherwise its days in the period are counted from the
    /// records. So no more than half a month at either end is read from the
    /// records, whichever days the period starts and ends on.
    pub fn month_plan(&self) -> MonthPlan {
        let mut plan = MonthPlan::default();
        let mut kept: Vec<NaiveDate> = Vec::new();
        for month in self.months() {
            let last = month + Months::new(1) - Duration::days(1);
            let inside = Period { from: self.from.max(month), to: self.to.min(last) };
            let mut outside = Vec::new();
            if month < inside.from {
                outside.push(Period { from: month, to: inside.from - Duration::days(1) });
            }
            if inside.to < last {
                outside.push(Period { from: inside.to + Duration::days(1), to: last });
            }
            let outside_days: i64 = outside.iter().map(Period::days).sum();
            if outside_days < inside.days() {
                kept.push(month);
                plan.subtract.extend(outside);
            } else {
                plan.add.push(inside);
            }
        }
        let month = |d: &NaiveDate| d.format("%Y-%m").to_string();
        plan.months = kept.first().zip(kept.last()).map(|(a, b)| (month(a), month(b)));
        plan
    }

    /// `from=…&to=…` for links.
    pub fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.to)
    }
}

/// The parts of the report, in the order a board reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    YoungPeople,
    Housing,
    DirectWork,
    Eet,
    Health,
    Parents,
    Relationships,
    Service,
    Statutory,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::YoungPeople,
        Section::Housing,
        Section::DirectWork,
        Section::Eet,
        Section::Health,
        Section::Parents,
        Section::Relationships,
        Section::Service,
        Section::Statutory,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Section::YoungPeople => "Young people supported",
            Section::Housing => "Housing",
            Section::DirectWork => "Direct work with personal advisers",
            Section::Eet => "Education, employment and training",
            Section::Health => "Health and emotional health",
            Section::Parents => "Young parents",
            Section::Relationships => "Trusted people, activities and groups",
            Section::Service => "How the service is doing",
            Section::Statutory => "Statutory staying close support",
        }
    }
}

/// One figure in the report: a count of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    Supported,
    HousingInterventions,
    MovesToSemiIndependent,
    ReturnsToFamily,
    TenanciesSustained,
    LetsUsed,
    DirectWorkSessions,
    DirectWorkTopic(Topic),
    EetInterventions,
    EetAtStart,
    KnownAtStart,
    EetAtEnd,
    KnownAtEnd,
    EmotionalHealthSessions,
    NurseSessions,
    Referrals(Pathway),
    YoungParents,
    Expecting,
    ParentOutcome(ParentOutcomeKind),
    TrustedMatches,
    ActivitySpends,
    GroupEvents,
    GroupAttendances,
    VisitsDue,
    VisitsOnTime,
    ReviewsHeld,
    ReviewsOnTime,
    Advisers,
    Allocated,
    Contacts,
    FormerRelevant,
    Assessed,
    SupportRequired,
    SupportArea(SupportArea),
    SupportForm(SupportForm),
}

impl Measure {
    /// Every measure, in report order.
    pub fn all() -> Vec<Measure> {
        use Measure::*;
        let mut out = vec![
            Supported,
            HousingInterventions,
            MovesToSemiIndependent,
            ReturnsToFamily,
            TenanciesSustained,
            LetsUsed,
            DirectWorkSessions,
        ];
        out.extend(Topic::ALL.iter().map(|t| DirectWorkTopic(*t)));
        out.extend([EetInterventions, EetAtStart, KnownAtStart, EetAtEnd, KnownAtEnd]);
        out.extend([EmotionalHealthSessions, NurseSessions]);
        out.extend(Pathway::ALL.iter().map(|p| Referrals(*p)));
        out.extend([YoungParents, Expecting]);
        out.extend(ParentOutcomeKind::ALL.iter().map(|k| ParentOutcome(*k)));
        out.extend([TrustedMatches, ActivitySpends, GroupEvents, GroupAttendances]);
        out.extend([VisitsDue, VisitsOnTime, ReviewsHeld, ReviewsOnTime, Advisers, Allocated, Contacts]);
        out.extend([FormerRelevant, Assessed, SupportRequired]);
        out.extend(crate::statutory::SupportArea::ALL.iter().map(|a| Measure::SupportArea(*a)));
        out.extend(crate::statutory::SupportForm::ALL.iter().map(|f| Measure::SupportForm(*f)));
        out
    }

    /// The name in links and exports (`topic-cooking`).
    pub fn key(self) -> String {
        use Measure::*;
        match self {
            DirectWorkTopic(t) => format!("topic-{}", t.code()),
            Referrals(p) => format!("referrals-{}", p.code()),
            ParentOutcome(k) => format!("parent-{}", k.code()),
            SupportArea(a) => format!("area-{}", a.code()),
            SupportForm(f) => format!("form-{}", f.code()),
            Supported => "supported".into(),
            HousingInterventions => "housing-interventions".into(),
            MovesToSemiIndependent => "moves-semi-independent".into(),
            ReturnsToFamily => "returns-to-family".into(),
            TenanciesSustained => "tenancies-sustained".into(),
            LetsUsed => "lets-used".into(),
            DirectWorkSessions => "direct-work".into(),
            EetInterventions => "eet-interventions".into(),
            EetAtStart => "eet-at-start".into(),
            KnownAtStart => "known-at-start".into(),
            EetAtEnd => "eet-at-end".into(),
            KnownAtEnd => "known-at-end".into(),
            EmotionalHealthSessions => "emotional-health-sessions".into(),
            NurseSessions => "nurse-sessions".into(),
            YoungParents => "young-parents".into(),
            Expecting => "expecting".into(),
            TrustedMatches => "trusted-matches".into(),
            ActivitySpends => "activity-spends".into(),
            GroupEvents => "group-events".into(),
            GroupAttendances => "group-attendances".into(),
            VisitsDue => "visits-due".into(),
            VisitsOnTime => "visits-on-time".into(),
            ReviewsHeld => "reviews-held".into(),
            ReviewsOnTime => "reviews-on-time".into(),
            Advisers => "advisers".into(),
            Allocated => "allocated".into(),
            Contacts => "contacts".into(),
            FormerRelevant => "former-relevant".into(),
            Assessed => "assessed".into(),
            SupportRequired => "support-required".into(),
        }
    }

    pub fn parse(key: &str) -> Option<Measure> {
        Measure::all().into_iter().find(|m| m.key() == key)
    }

    /// What the figure counts, in plain English.
    pub fn label(self) -> String {
        use Measure::*;
        match self {
            Supported => "Young people supported in the period".into(),
            HousingInterventions => "Housing interventions (to obtain or keep a home)".into(),
            MovesToSemiIndependent => "Moves into semi-independent living".into(),
            ReturnsToFamily => "Returns to family".into(),
            TenanciesSustained => "Own tenancies sustained for 6 months".into(),
            LetsUsed => "Ring-fenced lets lived in".into(),
            DirectWorkSessions => "Direct-work sessions with personal advisers".into(),
            DirectWorkTopic(t) => format!("Direct-work sessions on {}", t.label().to_lowercase()),
            EetInterventions => "EET interventions".into(),
            EetAtStart => "In education, employment or training on the first day".into(),
            KnownAtStart => "Activity known on the first day".into(),
            EetAtEnd => "In education, employment or training on the last day".into(),
            KnownAtEnd => "Activity known on the last day".into(),
            EmotionalHealthSessions => "Emotional-health sessions".into(),
            NurseSessions => "Care-leaver nurse contacts".into(),
            Referrals(p) => format!("Referrals to {}", lower_first(p.label())),
            YoungParents => "Young parents supported".into(),
            Expecting => "Expecting parents supported".into(),
            ParentOutcome(ParentOutcomeKind::PlanStarted) => "Child protection plans started".into(),
            ParentOutcome(ParentOutcomeKind::PlanEnded) => "Child protection plans ended".into(),
            ParentOutcome(ParentOutcomeKind::EntryPrevented) => "Entries to care prevented".into(),
            TrustedMatches => "Trusted Person matches agreed".into(),
            ActivitySpends => "Activities allowance spends".into(),
            GroupEvents => "Group activities held".into(),
            GroupAttendances => "Young people's attendances at group activities".into(),
            VisitsDue => "Home visits that followed an earlier visit".into(),
            VisitsOnTime => "Home visits on time".into(),
            ReviewsHeld => "Plan reviews held".into(),
            ReviewsOnTime => "Plan reviews on time".into(),
            Advisers => "Personal advisers with young people on the last day".into(),
            Allocated => "Young people with a personal adviser on the last day".into(),
            Contacts => "Contacts and direct work recorded".into(),
            FormerRelevant => "Former relevant children under 25".into(),
            Assessed => "Staying close support assessments".into(),
            SupportRequired => "Assessments finding support required".into(),
            SupportArea(a) => format!("Support given: {}", lower_first(a.label())),
            SupportForm(f) => format!("Support given as {}", lower_first(f.label())),
        }
    }

    /// For a measure that counts contacts: whether it counts one of this
    /// kind with these topics and statutory support tags (comma-joined codes).
    pub fn counts_contact(self, kind: &str, topics: &str, areas: &str, forms: &str) -> Option<bool> {
        use Measure::*;
        let has = |list: &str, code: &str| list.split(',').any(|c| c == code);
        Some(match self {
            DirectWorkSessions => kind == "pa_direct_work",
            DirectWorkTopic(t) => kind == "pa_direct_work" && has(topics, t.code()),
            Contacts => true,
            SupportArea(a) => has(areas, a.code()),
            SupportForm(f) => has(forms, f.code()),
            _ => return None,
        })
    }

    pub fn section(self) -> Section {
        use Measure::*;
        match self {
            Supported => Section::YoungPeople,
            HousingInterventions | MovesToSemiIndependent | ReturnsToFamily | TenanciesSustained | LetsUsed => {
                Section::Housing
            }
            DirectWorkSessions | DirectWorkTopic(_) => Section::DirectWork,
            EetInterventions | EetAtStart | KnownAtStart | EetAtEnd | KnownAtEnd => Section::Eet,
            EmotionalHealthSessions | NurseSessions | Referrals(_) => Section::Health,
            YoungParents | Expecting | ParentOutcome(_) => Section::Parents,
            TrustedMatches | ActivitySpends | GroupEvents | GroupAttendances => Section::Relationships,
            VisitsDue | VisitsOnTime | ReviewsHeld | ReviewsOnTime | Advisers | Allocated | Contacts => {
                Section::Service
            }
            FormerRelevant | Assessed | SupportRequired | SupportArea(_) | SupportForm(_) => Section::Statutory,
        }
    }

    /// Whether the records behind the figure are health records
    /// (special-category data), so only those who may see health see them.
    pub fn is_health(self) -> bool {
        matches!(self, Measure::EmotionalHealthSessions | Measure::NurseSessions | Measure::Referrals(_))
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A percentage rounded to the nearest whole number (halves up); `None`
/// when there is nothing to divide by.
pub fn percent(numerator: u64, denominator: u64) -> Option<u32> {
    (denominator > 0).then(|| ((200 * numerator + denominator) / (2 * denominator)) as u32)
}

/// Whether a home visit kept to the schedule: it came no later than the
/// interval after the visit before it.
pub fn visit_on_time(previous: NaiveDate, visit: NaiveDate, frequency: VisitFrequency) -> bool {
    visit <= previous + Duration::days(frequency.interval_days())
}

/// The counts of one LA (or of many) for a period, and what they add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub counts: BTreeMap<Measure, u64>,
    /// What the activities allowance spends came to.
    pub spend_pence: i64,
    /// The minutes of the contacts counted.
    pub contact_minutes: i64,
    /// The LA's weekly support offer, in hours (0 when not set).
    pub offer_hours: u32,
    pub period: Option<Period>,
    /// Contacts by month (`YYYY-MM`) and kind, for charts.
    pub contacts_by_month: Vec<(String, String, u64)>,
}

/// Contacts of one month with the same kind, topics and tags, counted
/// together: what the report reads instead of every contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactGroup {
    pub month: String,
    pub kind: String,
    pub topics: String,
    pub areas: String,
    pub forms: String,
    pub count: u64,
    pub minutes: i64,
    /// Home visits among them that followed an earlier visit under the
    /// schedule, and those on time.
    pub visits_due: u64,
    pub visits_on_time: u64,
}

/// What `Period::month_plan` asks for: the kept months to read (first and
/// last, `YYYY-MM`; every month between them is whole), the days to count
/// from the records and add, and the days of kept months outside the period
/// to count from the records and take away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthPlan {
    pub months: Option<(String, String)>,
    pub add: Vec<Period>,
    pub subtract: Vec<Period>,
}

impl Figures {
    /// Counts every contact measure, and the visits on time, from the groups.
    pub fn add_contacts(&mut self, groups: &[ContactGroup]) {
        for m in Measure::all() {
            let matching =
                groups.iter().filter(|g| m.counts_contact(&g.kind, &g.topics, &g.areas, &g.forms) == Some(true));
            let n: u64 = matching.map(|g| g.count).sum();
            if m.counts_contact("", "", "", "").is_some() {
                self.counts.insert(m, n);
            }
        }
        self.contact_minutes = groups.iter().map(|g| g.minutes).sum();
        self.counts.insert(Measure::VisitsDue, groups.iter().map(|g| g.visits_due).sum());
        self.counts.insert(Measure::VisitsOnTime, groups.iter().map(|g| g.visits_on_time).sum());
        let mut by_month: BTreeMap<(String, String), u64> = BTreeMap::new();
        for g in groups {
            *by_month.entry((g.month.clone(), g.kind.clone())).or_default() += g.count;
        }
        self.contacts_by_month = by_month.into_iter().map(|((m, k), n)| (m, k, n)).collect();
    }
}

impl Figures {
    /// No figures yet, for `period` and an offer of `offer_hours` a week.
    pub fn for_period(period: Period, offer_hours: u32) -> Self {
        Figures { period: Some(period), offer_hours, ..Default::default() }
    }

    pub fn count(&self, measure: Measure) -> u64 {
        self.counts.get(&measure).copied().unwrap_or(0)
    }

    pub fn eet_rate_at_start(&self) -> Option<u32> {
        percent(self.count(Measure::EetAtStart), self.count(Measure::KnownAtStart))
    }

    pub fn eet_rate_at_end(&self) -> Option<u32> {
        percent(self.count(Measure::EetAtEnd), self.count(Measure::KnownAtEnd))
    }

    pub fn visits_on_time(&self) -> Option<u32> {
        percent(self.count(Measure::VisitsOnTime), self.count(Measure::VisitsDue))
    }

    pub fn reviews_on_time(&self) -> Option<u32> {
        percent(self.count(Measure::ReviewsOnTime), self.count(Measure::ReviewsHeld))
    }

    /// Young people per adviser, in tenths (`85` is 8.5).
    pub fn caseload_tenths(&self) -> Option<u64> {
        let advisers = self.count(Measure::Advisers);
        (advisers > 0).then(|| (20 * self.count(Measure::Allocated) + advisers) / (2 * advisers))
    }

    /// Minutes of support a young person had in an average week, counting
    /// every young person supported in the period.
    pub fn minutes_per_week(&self) -> Option<u64> {
        let people = self.count(Measure::Supported);
        let days = self.period?.days() as u64;
        (people > 0 && days > 0)
            .then(|| (self.contact_minutes.max(0) as u64 * 7 * 2 + people * days) / (2 * people * days))
    }
}

/// Tenths written as a decimal (`85` → `8.5`).
pub fn tenths(value: u64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn parts(text: &str) -> DateParts {
        DateParts::from_iso(text)
    }

    #[test]
    fn the_default_period_is_the_last_complete_financial_year() {
        assert_eq!(Period::last_complete_year(d(2026, 12, 1)), Period { from: d(2025, 4, 1), to: d(2026, 3, 31) });
        assert_eq!(Period::last_complete_year(d(2026, 3, 31)), Period { from: d(2024, 4, 1), to: d(2025, 3, 31) });
        assert_eq!(Period::last_complete_year(d(2026, 4, 1)), Period { from: d(2025, 4, 1), to: d(2026, 3, 31) });
        let blank = DateParts::default();
        assert_eq!(Period::parse(&blank, &blank, d(2026, 12, 1)).unwrap().from, d(2025, 4, 1));
    }

    #[test]
    fn a_period_names_the_field_that_is_wrong() {
        let today = d(2026, 12, 1);
        let e = Period::parse(&parts("2026-04-01"), &parts("2026-03-01"), today).unwrap_err();
        assert_eq!(e.get("to"), Some("The end date must be the same as or after the start date"));
        let e = Period::parse(&parts("2026-04-01"), &DateParts::default(), today).unwrap_err();
        assert_eq!(e.get("to"), Some("Enter the end date"));
        assert!(e.get("from").is_none());
        let e = Period::parse(&parts("2015-04-01"), &parts("2026-03-01"), today).unwrap_err();
        assert!(e.get("to").unwrap().contains("at most 5 years"));
        let p = Period::parse(&parts("2026-01-15"), &parts("2026-03-02"), today).unwrap();
        assert_eq!(p.months(), vec![d(2026, 1, 1), d(2026, 2, 1), d(2026, 3, 1)]);
        assert_eq!(p.month_end(d(2026, 2, 1)), d(2026, 2, 28));
        assert_eq!(p.month_end(d(2026, 3, 1)), d(2026, 3, 2));
        assert_eq!(p.days(), 47);
    }

    #[test]
    fn a_period_reads_kept_months_and_the_fewest_days_from_the_records() {
        let months = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        let p = |from: NaiveDate, to: NaiveDate| Period { from, to };
        // A financial year: twelve kept months, no records.
        let year = p(d(2025, 4, 1), d(2026, 3, 31)).month_plan();
        assert_eq!(year, MonthPlan { months: months("2025-04", "2026-03"), add: vec![], subtract: vec![] });
        // 15 January (17 of 31 days) is most of January: kept, less 1 to 14 January.
        // 1 to 2 April is not most of April: counted from the records.
        let odd = p(d(2026, 1, 15), d(2026, 4, 2)).month_plan();
        assert_eq!(
            odd,
            MonthPlan {
                months: months("2026-01", "2026-03"),
                add: vec![p(d(2026, 4, 1), d(2026, 4, 2))],
                subtract: vec![p(d(2026, 1, 1), d(2026, 1, 14))],
            }
        );
        // Twelve months to 2 December: the first month less its first day, the last two days.
        let to_today = p(d(2025, 12, 2), d(2026, 12, 2)).month_plan();
        assert_eq!(
            to_today,
            MonthPlan {
                months: months("2025-12", "2026-11"),
                add: vec![p(d(2026, 12, 1), d(2026, 12, 2))],
                subtract: vec![p(d(2025, 12, 1), d(2025, 12, 1))],
            }
        );
        // Inside one month: most of it is kept, less the days either side.
        let inside = p(d(2026, 2, 2), d(2026, 2, 27)).month_plan();
        assert_eq!(
            inside,
            MonthPlan {
                months: months("2026-02", "2026-02"),
                add: vec![],
                subtract: vec![p(d(2026, 2, 1), d(2026, 2, 1)), p(d(2026, 2, 28), d(2026, 2, 28))],
            }
        );
        // A few days of one month: from the records alone.
        let few = p(d(2026, 2, 10), d(2026, 2, 12)).month_plan();
        assert_eq!(few, MonthPlan { months: None, add: vec![p(d(2026, 2, 10), d(2026, 2, 12))], subtract: vec![] });
        // Half a month each side of a month end: two halves from the records.
        let across = p(d(2026, 2, 15), d(2026, 3, 16)).month_plan();
        assert_eq!(across.months, months("2026-03", "2026-03"));
        assert_eq!(across.add, vec![p(d(2026, 2, 15), d(2026, 2, 28))]);
        assert_eq!(across.subtract, vec![p(d(2026, 3, 17), d(2026, 3, 31))]);
        let leap = p(d(2028, 2, 1), d(2028, 2, 29)).month_plan();
        assert_eq!(leap, MonthPlan { months: months("2028-02", "2028-02"), add: vec![], subtract: vec![] });
    }

    #[test]
    fn every_day_of_a_period_is_counted_once() {
        // Kept months, plus the added days, less the subtracted days, is the period, day by day.
        let start = d(2025, 12, 20);
        for from_offset in 0..70 {
            for length in [0, 1, 13, 14, 15, 16, 27, 30, 31, 45, 60, 200, 400] {
                let from = start + Duration::days(from_offset);
                let period = Period { from, to: from + Duration::days(length) };
                let plan = period.month_plan();
                let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
                if let Some((first, last)) = &plan.months {
                    let mut day = NaiveDate::parse_from_str(&format!("{first}-01"), "%Y-%m-%d").unwrap();
                    let end = NaiveDate::parse_from_str(&format!("{last}-01"), "%Y-%m-%d").unwrap() + Months::new(1);
                    while day < end {
                        *days.entry(day).or_default() += 1;
                        day += Duration::days(1);
                    }
                }
                for (parts, sign) in [(&plan.add, 1), (&plan.subtract, -1)] {
                    for part in parts {
                        let mut day = part.from;
                        while day <= part.to {
                            *days.entry(day).or_default() += sign;
                            day += Duration::days(1);
                        }
                    }
                }
                days.retain(|_, n| *n != 0);
                assert!(days.values().all(|n| *n == 1), "{period:?}");
                assert_eq!(days.keys().next(), Some(&period.from), "{period:?}");
                assert_eq!(days.len() as i64, period.days(), "{period:?}");
                let read: i64 = plan.add.iter().chain(&plan.subtract).map(Period::days).sum();
                assert!(read <= 32, "at most about half a month at each end: {period:?} reads {read}");
            }
        }
    }

    #[test]
    fn every_measure_has_a_key_that_reads_back() {
        let all = Measure::all();
        for m in &all {
            assert_eq!(Measure::parse(&m.key()), Some(*m), "{m:?}");
        }
        let keys: std::collections::HashSet<String> = all.iter().map(|m| m.key()).collect();
        assert_eq!(keys.len(), all.len());
        assert_eq!(Measure::parse("nothing"), None);
        assert_eq!(Measure::DirectWorkTopic(Topic::Cooking).label(), "Direct-work sessions on cooking");
        assert_eq!(Measure::ParentOutcome(ParentOutcomeKind::EntryPrevented).label(), "Entries to care prevented");
    }

    #[test]
    fn rates_round_halves_up_and_need_a_denominator() {
        assert_eq!(percent(37, 100), Some(37));
        assert_eq!(percent(1, 8), Some(13)); // 12.5
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(0, 0), None);
        let mut f = Figures::default();
        f.counts.insert(Measure::EetAtEnd, 61);
        f.counts.insert(Measure::KnownAtEnd, 100);
        f.counts.insert(Measure::Advisers, 4);
        f.counts.insert(Measure::Allocated, 33);
        assert_eq!(f.eet_rate_at_end(), Some(61));
        assert_eq!(f.eet_rate_at_start(), None);
        assert_eq!(f.caseload_tenths(), Some(83)); // 8.25 → 8.3
        assert_eq!(tenths(83), "8.3");
    }

    #[test]
    fn hours_per_week_count_everyone_supported() {
        let mut f = Figures { period: Some(Period { from: d(2026, 1, 1), to: d(2026, 1, 14) }), ..Default::default() };
        f.counts.insert(Measure::Supported, 2);
        f.contact_minutes = 600; // 10 hours over two weeks for two people
        assert_eq!(f.minutes_per_week(), Some(150));
    }

    #[test]
    fn contact_groups_count_into_every_contact_measure() {
        let group = |kind: &str, topics: &str, areas: &str, count: u64| ContactGroup {
            month: "2026-01".into(),
            kind: kind.into(),
            topics: topics.into(),
            areas: areas.into(),
            forms: String::new(),
            count,
            minutes: 60 * count as i64,
            visits_due: 0,
            visits_on_time: 0,
        };
        let mut f = Figures::default();
        f.add_contacts(&[
            group("pa_direct_work", "cooking,budgeting", "", 3),
            group("home_visit", "cooking", "accommodation", 2),
        ]);
        assert_eq!(f.count(Measure::Contacts), 5);
        assert_eq!(f.count(Measure::DirectWorkSessions), 3);
        assert_eq!(f.count(Measure::DirectWorkTopic(Topic::Cooking)), 3, "only direct work counts by topic");
        assert_eq!(f.count(Measure::SupportArea(crate::statutory::SupportArea::Accommodation)), 2);
        assert_eq!(f.count(Measure::DirectWorkTopic(Topic::Diy)), 0);
        assert!(f.counts.contains_key(&Measure::DirectWorkTopic(Topic::Diy)), "every contact measure has a figure");
        assert_eq!(f.contact_minutes, 300);
        assert_eq!(f.contacts_by_month.len(), 2);
    }

    #[test]
    fn a_visit_is_on_time_up_to_the_interval() {
        let previous = d(2026, 1, 1);
        assert!(visit_on_time(previous, d(2026, 1, 8), VisitFrequency::Weekly));
        assert!(!visit_on_time(previous, d(2026, 1, 9), VisitFrequency::Weekly));
        assert!(visit_on_time(previous, d(2026, 1, 15), VisitFrequency::Fortnightly));
    }
}
