//! Who works with each demo young person: their personal adviser (for some,
//! after a change of adviser), and the specialists and trusted adults that
//! a Staying Close team allocates.

use chrono::{Duration, NaiveDate};
use staying_close_domain::allocation::WorkerRole;
use staying_close_domain::dataset::{DatasetAllocation, DatasetStaff};
use staying_close_domain::roles::Role;

fn first_with(team: &[DatasetStaff], role: Role) -> Option<usize> {
    team.iter().position(|s| s.role == role)
}

/// Allocations for a young person who started on `start` with `adviser`.
pub fn allocations(start: NaiveDate, adviser: usize, team: &[DatasetStaff], serial: usize) -> Vec<DatasetAllocation> {
    let mut out = Vec::new();
    // One in six had another adviser first, until caseloads were rebalanced.
    let advisers: Vec<usize> =
        team.iter().enumerate().filter(|(_, s)| s.role == Role::PersonalAdviser).map(|(i, _)| i).collect();
    let previous = advisers.iter().copied().find(|i| *i != adviser);
    let changed_on = start + Duration::days(200);
    match previous {
        Some(previous) if serial.is_multiple_of(6) => {
            out.push(DatasetAllocation {
                role: WorkerRole::PersonalAdviser,
                staff: previous,
                from: start,
                to: Some(changed_on),
                reason: None,
            });
            out.push(DatasetAllocation {
                role: WorkerRole::PersonalAdviser,
                staff: adviser,
                from: changed_on,
                to: None,
                reason: Some("Caseloads shared out again when a new adviser joined the team".into()),
            });
        }
        _ => out.push(DatasetAllocation {
            role: WorkerRole::PersonalAdviser,
            staff: adviser,
            from: start,
            to: None,
            reason: None,
        }),
    }
    let specialists = [
        (WorkerRole::Eet, Role::EetWorker, serial.is_multiple_of(3), 30),
        (WorkerRole::EmotionalHealth, Role::EmotionalHealth, serial % 4 == 1, 60),
        (WorkerRole::Housing, Role::HousingOfficer, serial % 5 == 2, 90),
        (WorkerRole::Residential, Role::ResidentialStaff, serial.is_multiple_of(2), 0),
    ];
    for (part, role, chosen, after) in specialists {
        if let (true, Some(staff)) = (chosen, first_with(team, role)) {
            out.push(DatasetAllocation {
                role: part,
                staff,
                from: start + Duration::days(after),
                to: None,
                reason: None,
            });
        }
    }
    out
}
