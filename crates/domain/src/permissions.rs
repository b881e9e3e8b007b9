//! Who may do what: the one permission table of the service.
//! `docs/security.md` prints the same table; a test keeps the two in step.

use crate::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// See the list of young people.
    ViewCohort,
    /// Open a young person's record.
    ViewYoungPerson,
    /// Upload SSDA903 files.
    ImportData,
    /// See and export the LA's audit trail.
    ViewAudit,
    /// Change the LA's settings.
    ManageSettings,
    /// Add a young person to the cohort by hand.
    AddYoungPerson,
    /// Edit a young person's record.
    EditYoungPerson,
    /// Close a young person's record, with a reason.
    CloseYoungPerson,
    /// Record a contact or piece of direct work, and set the visit schedule.
    RecordContact,
    /// Add staff to the LA, change their roles and disable their accounts.
    ManageStaff,
    /// Start, change and review a young person's Staying Close plan.
    EditPlan,
    /// Allocate a personal adviser and other workers to a young person.
    AllocateWorkers,
    /// Record a statutory staying close assessment (s.23CZAA).
    AssessSupport,
    /// Add and change the LA's ring-fenced lets and record who lives in them.
    ManageLets,
    /// Record a young parent's child-protection plans and entries to care prevented.
    RecordPrevention,
    /// See health and emotional-health records (special-category data).
    ViewHealth,
    /// Record health and emotional-health sessions, referrals and registrations.
    RecordHealth,
    /// See and record the programme's grants and spending.
    ManageFunding,
    /// See the LA's impact report and the records behind each figure, and download them.
    ViewReports,
    /// See every LA's figures, as aggregates with small numbers suppressed.
    ViewNational,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::ViewCohort,
        Permission::ViewYoungPerson,
        Permission::ImportData,
        Permission::ViewAudit,
        Permission::ManageSettings,
        Permission::AddYoungPerson,
        Permission::EditYoungPerson,
        Permission::CloseYoungPerson,
        Permission::RecordContact,
        Permission::ManageStaff,
        Permission::EditPlan,
        Permission::AllocateWorkers,
        Permission::AssessSupport,
        Permission::ManageLets,
        Permission::RecordPrevention,
        Permission::ViewHealth,
        Permission::RecordHealth,
        Permission::ManageFunding,
        Permission::ViewReports,
        Permission::ViewNational,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewCohort => "view_cohort",
            Permission::ViewYoungPerson => "view_young_person",
            Permission::ImportData => "import_data",
            Permission::ViewAudit => "view_audit",
            Permission::ManageSettings => "manage_settings",
            Permission::AddYoungPerson => "add_young_person",
            Permission::EditYoungPerson => "edit_young_person",
            Permission::CloseYoungPerson => "close_young_person",
            Permission::RecordContact => "record_contact",
            Permission::ManageStaff => "manage_staff",
            Permission::EditPlan => "edit_plan",
            Permission::AllocateWorkers => "allocate_workers",
            Permission::AssessSupport => "assess_support",
            Permission::ManageLets => "manage_lets",
            Permission::RecordPrevention => "record_prevention",
            Permission::ViewHealth => "view_health",
            Permission::RecordHealth => "record_health",
            Permission::ManageFunding => "manage_funding",
            Permission::ViewReports => "view_reports",
            Permission::ViewNational => "view_national",
        }
    }
}

/// The permission table.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        ViewCohort | ViewYoungPerson => role != NationalViewer,
        ImportData | ViewAudit => matches!(role, LaAdmin | TeamManager),
        ManageSettings | ManageStaff => role == LaAdmin,
        AddYoungPerson | CloseYoungPerson => matches!(role, LaAdmin | TeamManager | PersonalAdviser),
        EditYoungPerson => {
            matches!(
                role,
                LaAdmin | TeamManager | PersonalAdviser | EetWorker | EmotionalHealth | HousingOfficer | Nurse
            )
        }
        AllocateWorkers => matches!(role, LaAdmin | TeamManager),
        AssessSupport => matches!(role, TeamManager | PersonalAdviser),
        ManageLets => matches!(role, LaAdmin | TeamManager | HousingOfficer),
        // A manager's judgement, recorded with a note.
        RecordPrevention => role == TeamManager,
        // Special-category data: the health practitioners, the young person's
        // adviser and their manager; not housing, EET, residential staff,
        // administrators or read-only users.
        ViewHealth => matches!(role, TeamManager | PersonalAdviser | EmotionalHealth | Nurse),
        RecordHealth => matches!(role, EmotionalHealth | Nurse),
        ManageFunding => matches!(role, LaAdmin | TeamManager),
        // Managers and boards (read-only board members), whose reports name
        // young people in the lists behind each figure.
        ViewReports => matches!(role, LaAdmin | TeamManager | ReadOnly),
        // Aggregates only, and only for the national programme.
        ViewNational => role == NationalViewer,
        // Plans are agreed with the young person by the practitioners who work with them.
        EditPlan => {
            matches!(role, TeamManager | PersonalAdviser | EetWorker | EmotionalHealth | HousingOfficer | Nurse)
        }
        // Former residential staff record their own time with a young person shared with them.
        RecordContact => matches!(
            role,
            TeamManager | PersonalAdviser | EetWorker | EmotionalHealth | HousingOfficer | Nurse | ResidentialStaff
        ),
    }
}

/// Which young people a member of staff may see within their LA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordScope {
    /// Every young person of the LA.
    WholeLa,
    /// Only young people allocated to them (as personal adviser or in any
    /// other part) or shared with them.
    OwnAndShared,
    /// Only young people allocated to them in some part (a trusted adult
    /// from the home) or shared with them.
    SharedOnly,
}

/// How an LA lets practitioners see records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordAccess {
    /// Practitioners see the whole Staying Close cohort (small teams).
    #[default]
    Team,
    /// Practitioners see their own caseload and records shared with them.
    Caseload,
}

impl RecordAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordAccess::Team => "team",
            RecordAccess::Caseload => "caseload",
        }
    }

    pub fn parse(text: &str) -> Option<RecordAccess> {
        match text {
            "team" => Some(RecordAccess::Team),
            "caseload" => Some(RecordAccess::Caseload),
            _ => None,
        }
    }
}

pub fn record_scope(role: Role, access: RecordAccess) -> RecordScope {
    use Role::*;
    match role {
        LaAdmin | TeamManager | ReadOnly => RecordScope::WholeLa,
        ResidentialStaff => RecordScope::SharedOnly,
        NationalViewer => RecordScope::SharedOnly,
        PersonalAdviser | EetWorker | EmotionalHealth | HousingOfficer | Nurse => match access {
            RecordAccess::Team => RecordScope::WholeLa,
            RecordAccess::Caseload => RecordScope::OwnAndShared,
        },
    }
}

/// Roles that must use a second factor whatever the LA chooses.
pub fn totp_required(role: Role, la_requires_for_all: bool) -> bool {
    la_requires_for_all || matches!(role, Role::LaAdmin | Role::TeamManager | Role::NationalViewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_table_matches_the_code() {
        let doc = include_str!("../../../docs/security.md");
        for permission in Permission::ALL {
            let line = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", permission.as_str())))
                .unwrap_or_else(|| panic!("docs/security.md has no row for {}", permission.as_str()));
            let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            for (i, role) in Role::ALL.iter().enumerate() {
                let documented = cells[i + 1] == "yes";
                assert_eq!(documented, allows(*role, permission), "{} for {}", permission.as_str(), role.as_str());
            }
        }
    }

    #[test]
    fn national_viewers_never_see_records() {
        assert!(!allows(Role::NationalViewer, Permission::ViewYoungPerson));
        assert_eq!(record_scope(Role::ResidentialStaff, RecordAccess::Team), RecordScope::SharedOnly);
        assert_eq!(record_scope(Role::PersonalAdviser, RecordAccess::Caseload), RecordScope::OwnAndShared);
        assert!(totp_required(Role::TeamManager, false));
        assert!(!totp_required(Role::Nurse, false));
        assert!(totp_required(Role::Nurse, true));
    }
}
