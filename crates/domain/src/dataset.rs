//! Whole local authorities described by natural keys (LA code, staff email,
//! child ID): what the demo generator produces and the store loads, so
//! neither needs to know about the other.

use crate::allocation::WorkerRole;
use crate::allowance::Spend;
use crate::celebrations::{FestivalDate, Task};
use crate::contacts::Contact;
use crate::la::{LaCode, LaName, LaSettings};
use crate::offer::OfferItem;
use crate::people::{ChildId, CohortStatus, Email, PersonName, Sex};
use crate::plan::{Meeting, Section};
use crate::profile::Celebration;
use crate::roles::Role;
use crate::ssda903::Episode;
use crate::statutory::AssessmentOutcome;
use crate::visits::Schedule;
use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct Dataset {
    pub las: Vec<DatasetLa>,
    /// National programme viewers, who belong to no LA.
    pub national_staff: Vec<DatasetStaff>,
}

#[derive(Debug, Clone)]
pub struct DatasetLa {
    pub code: LaCode,
    pub name: LaName,
    pub settings: LaSettings,
    pub staff: Vec<DatasetStaff>,
    pub young_people: Vec<DatasetYoungPerson>,
    /// When the statutory staying close duty starts, if set. Loading never
    /// replaces a date the LA has already set.
    pub staying_close_duty_from: Option<NaiveDate>,
    /// The Local Offer, loaded only into an LA that has none yet.
    pub offer: Vec<OfferItem>,
    /// Its latest review: reviewed on, next review by, and the indices (into
    /// `young_people`) of those who helped write it.
    pub offer_review: Option<(NaiveDate, NaiveDate, Vec<usize>)>,
    /// Festival dates, loaded only into an LA that has none yet.
    pub festivals: Vec<FestivalDate>,
    /// Ring-fenced lets with their occupancies (indices into
    /// `young_people`), loaded only into an LA that has none yet.
    pub lets: Vec<(crate::lets::Property, Vec<(usize, crate::lets::Occupancy)>)>,
    /// Group events with who came (indices into `young_people` and
    /// `staff`), loaded only into an LA that has none yet.
    pub events: Vec<(crate::groups::Event, Vec<usize>, Vec<usize>)>,
    /// Grants and spending per financial year, loaded only into an LA that has none yet.
    pub funding: Vec<(crate::funding::FinancialYear, Vec<crate::funding::Grant>, Vec<crate::funding::SpendLine>)>,
}

#[derive(Debug, Clone)]
pub struct DatasetStaff {
    pub name: PersonName,
    pub email: Email,
    pub role: Role,
}

#[derive(Debug, Clone)]
pub struct DatasetYoungPerson {
    pub child_id: ChildId,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    /// SSDA903 ETHNIC code.
    pub ethnicity: String,
    pub cohort: CohortStatus,
    /// Index into the LA's `staff` of the allocated personal adviser.
    pub adviser: Option<usize>,
    pub episodes: Vec<Episode>,
    pub preferred_name: Option<PersonName>,
    pub pronouns: Option<String>,
    pub home_left: Option<String>,
    pub celebrations: Vec<Celebration>,
    pub staying_close_start: Option<NaiveDate>,
    pub schedule: Option<Schedule>,
    /// Oldest first.
    pub contacts: Vec<DatasetContact>,
    /// Versions of their Staying Close plan, oldest first; the last is current.
    pub plans: Vec<DatasetPlan>,
    /// Who works with them and who did before. The open personal-adviser
    /// allocation, if any, is `adviser`.
    pub allocations: Vec<DatasetAllocation>,
    /// Statutory staying close assessments (s.23CZAA), oldest first.
    pub assessments: Vec<DatasetAssessment>,
    /// Spending from their activities allowance, oldest first.
    pub spends: Vec<Spend>,
    /// Celebration tasks, with the day each was done.
    pub celebration_tasks: Vec<(Task, Option<NaiveDate>)>,
    /// Trusted Person nominations and matches.
    pub trusted_matches: Vec<crate::trusted_person::TrustedMatch>,
    /// Where they have lived, oldest first.
    pub stays: Vec<crate::accommodation::Stay>,
    /// Help with housing.
    pub housing: Vec<crate::accommodation::Intervention>,
    /// What they have been doing (OC3 ACTIV), oldest first.
    pub activities: Vec<crate::eet::Activity>,
    /// Help towards education, employment and training.
    pub eet_help: Vec<crate::eet::EetIntervention>,
    /// Referrals to advocacy.
    pub advocacy: Vec<crate::advocacy::Referral>,
    /// A parent, or expecting (on their record).
    pub young_parent: bool,
    pub expecting: bool,
    pub parent_children: Vec<crate::parents::Child>,
    pub parent_support: Vec<crate::parents::SupportGiven>,
    pub parent_outcomes: Vec<crate::parents::ParentOutcome>,
    pub health_sessions: Vec<crate::health::Session>,
    pub health_referrals: Vec<crate::health::HealthReferral>,
    pub registration: Option<crate::health::Registration>,
    /// Helping to recruit staff or design services.
    pub involvements: Vec<crate::groups::Involvement>,
}

/// A statutory staying close assessment in a dataset; `assessed_by` is an
/// index into the LA's `staff`.
#[derive(Debug, Clone)]
pub struct DatasetAssessment {
    pub assessed_on: NaiveDate,
    pub assessed_by: usize,
    pub outcome: AssessmentOutcome,
    pub reasons: String,
    pub their_view: Option<String>,
}

/// An allocation in a dataset; `staff` is an index into the LA's `staff`.
#[derive(Debug, Clone)]
pub struct DatasetAllocation {
    pub role: WorkerRole,
    pub staff: usize,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// A version of a plan in a dataset. Actions owned by staff name them by
/// their index into the LA's `staff`, not by database id.
#[derive(Debug, Clone)]
pub struct DatasetPlan {
    pub meeting: Meeting,
    pub sections: Vec<Section>,
}

/// A contact in a dataset. Its `staff` and follow-up `owner` are indices
/// into the LA's `staff`, not database ids.
#[derive(Debug, Clone)]
pub struct DatasetContact {
    pub contact: Contact,
    /// When a crisis follow-up was done; `None` while it is open.
    pub follow_up_done_on: Option<NaiveDate>,
}
