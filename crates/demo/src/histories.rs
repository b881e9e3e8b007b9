//! Believable SSDA903 care histories, described as stories of placements by
//! age and turned into dated episodes for each young person.

use crate::rng::SplitMix64;
use chrono::{Days, Months, NaiveDate};
use staying_close_domain::dates::{birthday, LeapDayRule};
use staying_close_domain::ssda903::{
    Episode, ShortText, CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE, REASON_PLACE_CHANGE,
};

/// One stretch of care: a placement and legal status between two ages.
#[derive(Debug, Clone, Copy)]
pub struct Stretch {
    pub place: &'static str,
    pub legal_status: &'static str,
    /// Age in months when it starts.
    pub from: u32,
    /// Age in months when it ends; `None` means care lasts to the 18th birthday.
    pub to: Option<u32>,
}

/// A care history in outline, with the range of ages (in months) a young
/// person living it might be today.
#[derive(Debug, Clone, Copy)]
pub struct Story {
    pub age_today: (u32, u32),
    pub stretches: &'static [Stretch],
    /// REC for the last episode when care has ended.
    pub leaving_reason: &'static str,
}

const fn s(place: &'static str, legal_status: &'static str, from: u32, to: Option<u32>) -> Stretch {
    Stretch { place, legal_status, from, to }
}

/// Histories of young people in the Staying Close cohort: at least 13 weeks
/// in a children's home, secure children's home or custody after 14.
pub const COHORT_STORIES: [Story; 8] = [
    // Foster care, then a children's home from 14 and a half until 18.
    Story {
        age_today: (216, 250),
        stretches: &[s("U4", "C2", 144, Some(174)), s("K2", "C2", 174, None)],
        leaving_reason: "E5",
    },
    // Children's home at 15, supported accommodation at 17.
    Story {
        age_today: (216, 262),
        stretches: &[s("K2", "V2", 180, Some(186)), s("K2", "C2", 186, Some(204)), s("K3", "C2", 204, None)],
        leaving_reason: "E5",
    },
    // Children's home, remanded to a young offender institution, back to the home.
    Story {
        age_today: (216, 274),
        stretches: &[s("K2", "C2", 176, Some(186)), s("R5", "J1", 186, Some(189)), s("K2", "C2", 189, None)],
        leaving_reason: "E6",
    },
    // Long-term foster care, a secure children's home at 14, then a children's home.
    Story {
        age_today: (216, 250),
        stretches: &[s("U6", "C2", 120, Some(168)), s("K1", "C2", 168, Some(172)), s("K2", "C2", 172, None)],
        leaving_reason: "E5",
    },
    // Still in a children's home at 16 or 17: an eligible child preparing to leave.
    Story {
        age_today: (198, 213),
        stretches: &[s("U6", "V2", 150, Some(168)), s("K2", "C2", 168, None)],
        leaving_reason: "E5",
    },
    // Foster care from primary school, a children's home from 16 and a half.
    Story {
        age_today: (228, 290),
        stretches: &[s("U4", "C2", 96, Some(198)), s("K2", "C2", 198, None)],
        leaving_reason: "E5",
    },
    // Two years in a children's home from 14 and a half, then home to family at 16 and a half.
    Story { age_today: (216, 262), stretches: &[s("K2", "V2", 174, Some(198))], leaving_reason: "E4A" },
    // Children's home, then semi-independent living (the retired H5 code).
    Story {
        age_today: (252, 290),
        stretches: &[s("K2", "C2", 168, Some(200)), s("H5", "C2", 200, None)],
        leaving_reason: "E6",
    },
];

/// Referrals that the team would not take on: too little residential care.
pub const REFERRAL_STORIES: [Story; 3] = [
    // Foster care only, staying put with the carers at 18.
    Story { age_today: (216, 240), stretches: &[s("U4", "C2", 132, None)], leaving_reason: "E17" },
    // Two months in a children's home between foster placements.
    Story {
        age_today: (216, 240),
        stretches: &[s("U6", "C2", 150, Some(190)), s("K2", "C2", 190, Some(192)), s("U6", "C2", 192, None)],
        leaving_reason: "E17",
    },
    // Short breaks in a children's home, then under three months there.
    Story {
        age_today: (204, 228),
        stretches: &[
            s("K2", "V3", 170, Some(171)),
            s("K2", "V3", 173, Some(174)),
            s("K2", "V3", 176, Some(177)),
            s("K2", "V2", 180, Some(182)),
        ],
        leaving_reason: "E4A",
    },
];

pub fn date_of_birth(rng: &mut SplitMix64, today: NaiveDate, story: Story) -> NaiveDate {
    let months = rng.between(story.age_today.0 as i64, story.age_today.1 as i64 - 1) as u32;
    let days = rng.between(0, 27) as u64;
    today - Months::new(months) - Days::new(days)
}

fn provider(rng: &mut SplitMix64, place: &str) -> &'static str {
    match place {
        "K2" | "U4" | "U6" => rng.pick(&["PR1", "PR4", "PR4"]),
        "K1" => rng.pick(&["PR1", "PR2"]),
        "R5" => "PR3",
        "P1" => "PR0",
        _ => rng.pick(&["PR4", "PR5"]),
    }
}

fn reason_new(previous: Option<&Episode>, place: &str, legal_status: &str) -> &'static str {
    match previous {
        None => "S",
        Some(p) if p.placement == place => "L",
        Some(p) if p.legal_status == legal_status => "P",
        Some(_) => "B",
    }
}

/// Turns a story into dated SSDA903 episodes for someone born on `dob`,
/// ending at the 18th birthday and leaving episodes open that run past today.
pub fn episodes(rng: &mut SplitMix64, today: NaiveDate, dob: NaiveDate, story: Story) -> Vec<Episode> {
    let eighteenth = birthday(dob, 18, LeapDayRule::default());
    let jitter = Days::new(rng.between(0, 20) as u64);
    let at_age = |months: u32| (dob + Months::new(months) + jitter).min(eighteenth);
    let need = rng.pick(&["N1", "N1", "N1", "N4", "N5", "N6"]);
    let home_district = rng.pick(&["BL1", "BL2", "BL3", "BL4", "BL5"]);
    let mut out: Vec<Episode> = Vec::new();
    for (i, stretch) in story.stretches.iter().enumerate() {
        let start = at_age(stretch.from);
        if start >= today || start >= eighteenth {
            break;
        }
        let end = stretch.to.map(at_age).unwrap_or(eighteenth);
        let next = story.stretches.get(i + 1);
        let joined = next.is_some_and(|n| Some(n.from) == stretch.to) && end < eighteenth;
        let previous = out.last().filter(|p| p.end == Some(start));
        let reason_new = reason_new(previous, stretch.place, stretch.legal_status);
        let (end, reason_ceased, reason_place_change) = if end > today {
            (None, None, None)
        } else if joined {
            let change = next.is_some_and(|n| n.place != stretch.place).then(|| REASON_PLACE_CHANGE.must("CARPL"));
            (Some(end), Some(REASON_EPISODE_CEASED.must("X1")), change)
        } else if stretch.legal_status == "V3" {
            (Some(end), Some(REASON_EPISODE_CEASED.must("E4A")), None)
        } else {
            (Some(end), Some(REASON_EPISODE_CEASED.must(story.leaving_reason)), None)
        };
        let residential = matches!(stretch.place, "K1" | "K2");
        out.push(Episode {
            start,
            end,
            reason_new: REASON_NEW_EPISODE.must(reason_new),
            legal_status: LEGAL_STATUS.must(stretch.legal_status),
            category_of_need: CATEGORY_OF_NEED.must(need),
            placement: PLACEMENT.must(stretch.place),
            provider: Some(PLACEMENT_PROVIDER.must(provider(rng, stretch.place))),
            reason_ceased,
            reason_place_change,
            home_postcode: ShortText::new(home_district),
            placement_postcode: ShortText::new(rng.pick(&["BL1", "BL2", "BL3", "BL6", "BL7", "WN5", "M26"])),
            urn: residential.then(|| ShortText::new(&format!("SC{:06}", 400_000 + rng.below(99_999)))).flatten(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_history_is_valid_ssda903() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut rng = SplitMix64::new(1);
        for story in COHORT_STORIES.iter().chain(REFERRAL_STORIES.iter()) {
            for _ in 0..50 {
                let dob = date_of_birth(&mut rng, today, *story);
                let eps = episodes(&mut rng, today, dob, *story);
                assert!(!eps.is_empty());
                assert_eq!(eps[0].reason_new, "S");
                for (i, e) in eps.iter().enumerate() {
                    assert!(e.start < today);
                    if let Some(end) = e.end {
                        assert!(end > e.start, "{e:?}");
                        assert!(end <= birthday(dob, 18, LeapDayRule::default()));
                        assert!(e.reason_ceased.is_some());
                    } else {
                        assert_eq!(i, eps.len() - 1, "only the last episode may be open");
                        assert!(e.reason_ceased.is_none() && e.reason_place_change.is_none());
                    }
                    if e.reason_ceased.is_some_and(|r| r == "X1") {
                        assert_eq!(eps[i + 1].start, e.end.unwrap(), "X1 joins to the next episode");
                    }
                }
            }
        }
    }
}
