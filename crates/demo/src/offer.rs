//! The demo LAs' Local Offers: entries in each of the six categories, some
//! owed by law and some the LA adds, and a review with young people.

use staying_close_domain::offer::{OfferCategory as C, OfferItem, OfferKind as K};

fn entry(category: C, kind: K, title: &str, description: &str, ages: (u32, u32), how: &str) -> OfferItem {
    OfferItem {
        category,
        kind,
        title: title.into(),
        description: description.into(),
        age_from: ages.0,
        age_to: ages.1,
        how_to_get: how.into(),
        contact: Some("Leaving Care Team, 01234 567 890 (demo number)".into()),
    }
}

/// Demo Borough's offer.
pub fn demo_borough() -> Vec<OfferItem> {
    let pa = "Ask your personal adviser";
    vec![
        entry(
            C::Health,
            K::Statutory,
            "Your health history",
            "A written summary of your health history, so you know what your GP needs to know.",
            (16, 25),
            "Your personal adviser or the care-leaver nurse will go through it with you",
        ),
        entry(
            C::Health,
            K::Additional,
            "Care-leaver nurse",
            "Health checks, help registering with a GP and dentist, and someone to go with you to appointments.",
            (16, 25),
            pa,
        ),
        entry(
            C::Health,
            K::Additional,
            "Leisure pass",
            "Free use of the council's gyms and swimming pools.",
            (16, 25),
            pa,
        ),
        entry(
            C::Relationships,
            K::Statutory,
            "A personal adviser",
            "Someone to support you and help you with your pathway plan, up to the age of 25.",
            (16, 25),
            "Everyone leaving care has one; you can ask for one again up to 25",
        ),
        entry(
            C::Relationships,
            K::Additional,
            "A trusted adult from your children's home",
            "Keep in touch with someone who looked after you in your children's home.",
            (18, 25),
            pa,
        ),
        entry(
            C::Relationships,
            K::Statutory,
            "Your records",
            "You can ask to see the records kept about you while you were in care.",
            (18, 25),
            "Ask your personal adviser, who will help you through it",
        ),
        entry(
            C::Education,
            K::Statutory,
            "Higher education bursary",
            "A bursary from the council if you go to university.",
            (18, 25),
            pa,
        ),
        entry(
            C::Education,
            K::Statutory,
            "16 to 19 bursary",
            "Help with the cost of college or training, paid by your college.",
            (16, 19),
            "Ask your college's student support office",
        ),
        entry(
            C::Employment,
            K::Statutory,
            "Apprenticeship bursary",
            "A one-off bursary from the government when you start an apprenticeship.",
            (16, 25),
            "Your training provider applies for it with you",
        ),
        entry(
            C::Employment,
            K::Additional,
            "Work experience with the council",
            "Paid work placements in council teams, with a mentor.",
            (16, 25),
            "Ask the EET worker in the Staying Close team",
        ),
        entry(
            C::Accommodation,
            K::Additional,
            "Staying Close",
            "A home near your children's home, with support from people you know, when you leave residential care.",
            (16, 25),
            pa,
        ),
        entry(
            C::Accommodation,
            K::Additional,
            "Council tax exemption",
            "No council tax to pay on your home in the borough.",
            (18, 25),
            "Your personal adviser tells the council tax team for you",
        ),
        entry(
            C::Accommodation,
            K::Additional,
            "Setting-up-home allowance",
            "Money towards furniture and kitchen things for your first home.",
            (16, 25),
            pa,
        ),
        entry(
            C::Participation,
            K::Additional,
            "Care Leavers' Forum",
            "Meet other care leavers, have your say on services and help interview new staff.",
            (16, 25),
            "Come along: your personal adviser can bring you to the first meeting",
        ),
        entry(
            C::Participation,
            K::Additional,
            "Driving lessons",
            "Help with the cost of driving lessons and the tests.",
            (17, 25),
            pa,
        ),
    ]
}

/// Second Demo's (shorter) offer.
pub fn second_demo() -> Vec<OfferItem> {
    let pa = "Ask your personal adviser";
    vec![
        entry(
            C::Relationships,
            K::Statutory,
            "A personal adviser",
            "Someone to support you up to the age of 25.",
            (16, 25),
            pa,
        ),
        entry(
            C::Accommodation,
            K::Additional,
            "Council tax exemption",
            "No council tax to pay on your home in the area.",
            (18, 25),
            pa,
        ),
        entry(
            C::Education,
            K::Statutory,
            "Higher education bursary",
            "A bursary from the council if you go to university.",
            (18, 25),
            pa,
        ),
    ]
}
