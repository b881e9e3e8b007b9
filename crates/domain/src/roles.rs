//! Staff roles. The permission table that uses them lives with sign-in.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    LaAdmin,
    TeamManager,
    PersonalAdviser,
    EetWorker,
    EmotionalHealth,
    HousingOfficer,
    Nurse,
    ResidentialStaff,
    ReadOnly,
    NationalViewer,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected one of: {list}", list = Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 10] = [
        Role::LaAdmin,
        Role::TeamManager,
        Role::PersonalAdviser,
        Role::EetWorker,
        Role::EmotionalHealth,
        Role::HousingOfficer,
        Role::Nurse,
        Role::ResidentialStaff,
        Role::ReadOnly,
        Role::NationalViewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::LaAdmin => "la_admin",
            Role::TeamManager => "team_manager",
            Role::PersonalAdviser => "personal_adviser",
            Role::EetWorker => "eet_worker",
            Role::EmotionalHealth => "emotional_health",
            Role::HousingOfficer => "housing_officer",
            Role::Nurse => "nurse",
            Role::ResidentialStaff => "residential_staff",
            Role::ReadOnly => "read_only",
            Role::NationalViewer => "national_viewer",
        }
    }

    /// The words teams use for the role, for screens.
    pub fn label(self) -> &'static str {
        match self {
            Role::LaAdmin => "LA administrator",
            Role::TeamManager => "Team manager",
            Role::PersonalAdviser => "Personal adviser",
            Role::EetWorker => "EET worker",
            Role::EmotionalHealth => "Emotional health practitioner",
            Role::HousingOfficer => "Housing officer",
            Role::Nurse => "Care leaver nurse",
            Role::ResidentialStaff => "Residential staff",
            Role::ReadOnly => "Read only",
            Role::NationalViewer => "National programme viewer",
        }
    }

    pub fn parse(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim()).ok_or_else(|| UnknownRole(text.to_owned()))
    }

    /// National viewers belong to no LA; everyone else belongs to exactly one.
    pub fn belongs_to_an_la(self) -> bool {
        self != Role::NationalViewer
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_code() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        let err = Role::parse("boss").unwrap_err().to_string();
        assert!(err.contains("personal_adviser"), "{err}");
    }
}
