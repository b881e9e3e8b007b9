//! Whole local authorities described by natural keys (LA code, staff email,
//! child ID): what the demo generator produces and the store loads, so
//! neither needs to know about the other.

use crate::la::{LaCode, LaName, LaSettings};
use crate::people::{ChildId, CohortStatus, Email, PersonName, Sex};
use crate::roles::Role;
use crate::ssda903::Episode;
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
}
