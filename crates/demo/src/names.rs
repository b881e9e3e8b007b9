//! Names and ethnicity codes common in a north-west English town.

use crate::rng::SplitMix64;
use staying_close_domain::people::Sex;

const BOYS: &[&str] = &[
    "Jack", "Tyler", "Kai", "Mason", "Callum", "Jayden", "Reece", "Mohammed", "Ryan", "Connor", "Liam", "Ethan",
    "Harvey", "Bailey", "Kyle", "Ibrahim", "Jordan", "Lewis", "Declan", "Aaron",
];
const GIRLS: &[&str] = &[
    "Chloe", "Ellie", "Amelia", "Aisha", "Leah", "Jade", "Courtney", "Megan", "Paige", "Shannon", "Keira", "Maisie",
    "Amira", "Holly", "Demi", "Tia", "Lacey", "Bethany", "Zainab", "Mollie",
];
const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Walsh",
    "Hughes",
    "Patel",
    "Khan",
    "Hussain",
    "Ahmed",
    "Kelly",
    "Murphy",
    "Wright",
    "Walker",
    "Robinson",
    "Thompson",
    "Wood",
    "Hall",
    "Green",
    "Clarke",
    "Shaw",
    "Lees",
    "Holt",
    "Fairclough",
    "Entwistle",
    "Greenhalgh",
    "Ramsbottom",
    "Okonkwo",
    "Nowak",
    "Kowalski",
    "McDonald",
    "Ali",
    "Bibi",
    "Campbell",
    "Barlow",
];
/// SSDA903 ETHNIC codes, weighted roughly as in a Greater Manchester borough.
const ETHNICITY: &[&str] = &[
    "WBRI", "WBRI", "WBRI", "WBRI", "WBRI", "WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "AIND", "APKN", "APKN", "BAFR",
    "BCRB", "MOTH",
];

pub fn first_name(rng: &mut SplitMix64, sex: Sex) -> &'static str {
    if sex == Sex::Male {
        rng.pick(BOYS)
    } else {
        rng.pick(GIRLS)
    }
}

pub fn surname(rng: &mut SplitMix64) -> &'static str {
    rng.pick(SURNAMES)
}

pub fn ethnicity(rng: &mut SplitMix64) -> &'static str {
    rng.pick(ETHNICITY)
}
