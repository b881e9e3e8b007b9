//! Demo housing: where each young person has lived since Staying Close
//! began (semi-independent first; some into their own tenancy, a few back
//! to family), the help they had, and each LA's ring-fenced lets with the
//! young people living in them.

use crate::rng::SplitMix64;
use chrono::{Duration, NaiveDate};
use staying_close_domain::accommodation::{Intervention, InterventionKind, InterventionOutcome, Stay};
use staying_close_domain::dataset::DatasetYoungPerson;
use staying_close_domain::lets::{LetStatus, Occupancy, Property};

const STREETS: &[&str] = &["Mill Lane", "Chapel Street", "Bridge Street", "Church Road", "Victoria Road", "Park View"];

fn address(rng: &mut SplitMix64) -> String {
    format!("Flat {}, {} {}", 1 + rng.below(6), 2 + rng.below(80), STREETS[rng.below(STREETS.len() as u64) as usize])
}

/// Stays from `start` (when Staying Close began for them) to today.
pub fn stays(rng: &mut SplitMix64, today: NaiveDate, start: NaiveDate, serial: usize) -> Vec<Stay> {
    let first = Stay {
        code: if serial % 11 == 7 { "D2".into() } else { "D1".into() },
        address: Some(address(rng)),
        provider: Some("Staying Close house, near their children's home".into()),
        starts_on: start,
        ends_on: None,
        reason_for_move: Some("Left their children's home".into()),
    };
    let days = (today - start).num_days();
    let mut out = vec![first];
    let next = match serial % 6 {
        1 | 4 if days > 120 => Some(("U1", "Own tenancy with a housing association", "Ready to live on their own")),
        2 if days > 90 => Some(("B1", "Living with their aunt", "Chose to return to family")),
        _ => None,
    };
    if let Some((code, provider, reason)) = next {
        let moved = start + Duration::days(days / 3 + rng.below((days / 3).max(1) as u64) as i64);
        out[0].ends_on = Some(moved - Duration::days(1));
        out.push(Stay {
            code: code.into(),
            address: Some(address(rng)),
            provider: Some(provider.into()),
            starts_on: moved,
            ends_on: None,
            reason_for_move: Some(reason.into()),
        });
    }
    out
}

pub fn interventions(rng: &mut SplitMix64, today: NaiveDate, stays: &[Stay]) -> Vec<Intervention> {
    let mut out = Vec::new();
    for s in stays.iter().filter(|s| s.is_own_tenancy() || s.is_family()) {
        out.push(Intervention {
            on: s.starts_on - Duration::days(14),
            kind: InterventionKind::MoveSupport,
            outcome: InterventionOutcome::Moved,
            note: Some("Viewing, bidding and the move itself".into()),
        });
        if s.is_own_tenancy() && rng.below(2) == 0 {
            let on = (s.starts_on + Duration::days(40 + rng.below(60) as i64)).min(today);
            out.push(Intervention {
                on,
                kind: InterventionKind::RentArrears,
                outcome: if on + Duration::days(30) > today {
                    InterventionOutcome::Ongoing
                } else {
                    InterventionOutcome::TenancyKept
                },
                note: Some("Universal Credit housing element backdated".into()),
            });
        }
    }
    out
}

/// Five ring-fenced lets; the first young people in their own tenancy live
/// in the first two (their stay's address becomes the let's).
pub fn lets(people: &mut [DatasetYoungPerson], landlord: &str) -> Vec<(Property, Vec<(usize, Occupancy)>)> {
    let addresses = ["1 Weavers Court", "3 Weavers Court", "12 Canal Side", "14 Canal Side", "7 Orchard Mews"];
    let statuses =
        [LetStatus::Available, LetStatus::Available, LetStatus::Offered, LetStatus::Available, LetStatus::Void];
    let mut tenants = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.stays.last().is_some_and(|s| s.is_own_tenancy() && s.ends_on.is_none()))
        .map(|(i, _)| i)
        .take(2)
        .collect::<Vec<_>>()
        .into_iter();
    addresses
        .iter()
        .zip(statuses)
        .enumerate()
        .map(|(n, (addr, status))| {
            let mut occupancies = Vec::new();
            if n < 2 {
                if let Some(i) = tenants.next() {
                    let stay = people[i].stays.last_mut().expect("filtered above");
                    stay.address = Some((*addr).to_owned());
                    stay.provider = Some(landlord.to_owned());
                    occupancies.push((i, Occupancy { starts_on: stay.starts_on, ends_on: None }));
                }
            }
            let property = Property {
                address: (*addr).to_owned(),
                landlord: landlord.to_owned(),
                bedrooms: if n == 4 { 2 } else { 1 },
                status,
                note: (status == LetStatus::Void).then(|| "Damp being treated; back in use next month".to_owned()),
            };
            (property, occupancies)
        })
        .collect()
}
