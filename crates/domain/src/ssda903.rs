//! SSDA903 (children looked after return) codes and the care episode record.
//!
//! Code lists are data, not enums: DfE changes them between collection years,
//! so each list is a table of (code, meaning) that can be replaced as a whole.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt;

/// One code list: the accepted codes and what each means.
#[derive(Debug, Clone, Copy)]
pub struct CodeList {
    /// This list's place in [`CODE_LISTS`], so a [`Code`] can find it again.
    pub id: u8,
    pub field: &'static str,
    pub codes: &'static [(&'static str, &'static str)],
    /// The codes as integers, worked out when the program is compiled.
    packed: &'static [u64],
}

/// A code of up to 8 bytes as one integer (longer codes do not exist).
const fn pack(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut out = 0u64;
    let mut i = 0;
    while i < bytes.len() && i < 8 {
        out |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    out
}

const fn pack_all<const N: usize>(codes: &[(&str, &str); N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        out[i] = pack(codes[i].0);
        i += 1;
    }
    out
}

macro_rules! count {
    () => { 0usize };
    ($head:tt $($tail:tt)*) => { 1usize + count!($($tail)*) };
}

/// Declares a code list with its codes packed at compile time.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, $id:expr, $field:expr, [$($entry:tt),* $(,)?]) => {
        $(#[$meta])*
        pub const $name: CodeList = {
            const CODES: [(&str, &str); count!($($entry)*)] = [$($entry),*];
            CodeList { id: $id, field: $field, codes: &CODES, packed: &pack_all(&CODES) }
        };
    };
}

impl CodeList {
    pub fn contains(&self, code: &str) -> bool {
        self.codes.iter().any(|(c, _)| *c == code)
    }

    pub fn meaning(&self, code: &str) -> Option<&'static str> {
        self.codes.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
    }

    /// The code for `text`, if the list has it (codes are case-sensitive).
    pub fn code(&self, text: &str) -> Option<Code> {
        // Codes are at most 8 bytes: compare them as integers.
        if text.len() > 8 {
            return None;
        }
        let wanted = pack(text);
        let index = self.packed.iter().position(|c| *c == wanted)?;
        Some(Code { list: self.id, index: index as u8 })
    }

    /// The code for a literal known to be in the list (demo data, tests).
    ///
    /// # Panics
    /// When `text` is not in the list.
    pub fn must(&self, text: &str) -> Code {
        self.code(text).unwrap_or_else(|| panic!("{text:?} is not a {} code", self.field))
    }
}

/// One code from one of the [`CODE_LISTS`]: two bytes, no allocation, so
/// a hundred thousand parsed episodes stay small.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code {
    list: u8,
    index: u8,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        self.list().codes[self.index as usize].0
    }

    pub fn meaning(self) -> &'static str {
        self.list().codes[self.index as usize].1
    }

    pub fn list(self) -> &'static CodeList {
        CODE_LISTS[self.list as usize]
    }

    /// The code with what it means, for people: `K2 Children's home`.
    pub fn described(self) -> String {
        match self.meaning() {
            "" => self.as_str().to_owned(),
            meaning => format!("{} {meaning}", self.as_str()),
        }
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.list().field, self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A short free-text field of a return (postcode, URN): up to 15 bytes,
/// held inline without an allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortText {
    len: u8,
    bytes: [u8; ShortText::MAX],
}

impl ShortText {
    pub const MAX: usize = 15;

    /// `None` when `text` is longer than [`ShortText::MAX`] bytes.
    pub fn new(text: &str) -> Option<ShortText> {
        let len = text.len();
        if len > Self::MAX {
            return None;
        }
        let mut bytes = [0u8; Self::MAX];
        bytes[..len].copy_from_slice(text.as_bytes());
        Some(ShortText { len: len as u8, bytes })
    }

    pub fn as_str(&self) -> &str {
        // Built only from a `&str`, cut at its own length: always UTF-8.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

impl std::ops::Deref for ShortText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<&str> for ShortText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ShortText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

code_list!(
    LEGAL_STATUS,
    0,
    "LS",
    [
        ("C1", "Interim care order"),
        ("C2", "Full care order"),
        ("D1", "Freeing order granted"),
        ("E1", "Placement order granted"),
        ("V2", "Single period of accommodation under section 20"),
        ("V3", "Agreed series of short-term breaks, individual episodes recorded"),
        ("V4", "Agreed series of short-term breaks, agreements recorded"),
        ("J1", "Remanded to LA accommodation or youth detention accommodation"),
        ("J2", "In LA accommodation under PACE 1984"),
        ("J3", "Youth Rehabilitation Order with residence or intensive fostering requirement"),
        ("L1", "Police protection, in LA accommodation"),
        ("L2", "Emergency protection order"),
        ("L3", "Child assessment order, in LA accommodation"),
    ]
);

code_list!(
    REASON_NEW_EPISODE,
    1,
    "RNE",
    [
        ("S", "Started to be looked after"),
        ("L", "Change of legal status only"),
        ("P", "Change of placement and carer(s) only"),
        ("T", "Change of placement but same carer(s) only"),
        ("B", "Change of legal status and of placement and carer(s)"),
        ("U", "Change of legal status and of placement (same carer(s))"),
    ]
);

code_list!(
    CATEGORY_OF_NEED,
    2,
    "CIN",
    [
        ("N1", "Abuse or neglect"),
        ("N2", "Child's disability"),
        ("N3", "Parental illness or disability"),
        ("N4", "Family in acute stress"),
        ("N5", "Family dysfunction"),
        ("N6", "Socially unacceptable behaviour"),
        ("N7", "Low income"),
        ("N8", "Absent parenting"),
    ]
);

code_list!(
    PLACEMENT,
    3,
    "PLACE",
    [
        ("K2", "Children's home"),
        ("K1", "Secure children's home"),
        ("R5", "Young offender institution or prison"),
        ("K3", "Registered supported accommodation"),
        ("H5", "Semi-independent living (not a children's home)"),
        ("P2", "Independent living"),
        ("R1", "Residential care home"),
        ("R2", "NHS or health establishment"),
        ("R3", "Family centre or mother and baby unit"),
        ("S1", "Residential school"),
        ("P1", "With parent(s) or person with parental responsibility"),
        ("P3", "Residential employment"),
        ("U1", "Foster placement with relative or friend, long term"),
        ("U2", "Foster placement with relative or friend who is an approved adopter"),
        ("U3", "Foster placement with relative or friend, other"),
        ("U4", "Foster placement with other carer, long term"),
        ("U5", "Foster placement with other carer who is an approved adopter"),
        ("U6", "Foster placement with other carer, other"),
        ("A3", "Placed for adoption with consent with current foster carer"),
        ("A4", "Placed for adoption with consent, not with current foster carer"),
        ("A5", "Placed for adoption with placement order with current foster carer"),
        ("A6", "Placed for adoption with placement order, not with current foster carer"),
        ("T0", "Temporary move of 7 days or less"),
        ("T1", "Temporary periods in hospital"),
        ("T2", "Temporary absences on holiday"),
        ("T3", "Temporary accommodation while carer is on holiday"),
        ("T4", "Temporary accommodation of 7 days or less"),
        ("Z1", "Other placement"),
        ("Z11", "Other placement (2025-26 split)"),
        ("Z12", "Other placement (2025-26 split)"),
        ("Z13", "Other placement (2025-26 split)"),
        ("Z14", "Other placement (2025-26 split)"),
    ]
);

code_list!(
    PLACEMENT_PROVIDER,
    4,
    "PLACE_PROVIDER",
    [
        ("PR0", "Parent(s) or person with parental responsibility"),
        ("PR1", "Own local authority provision"),
        ("PR2", "Another local authority's provision"),
        ("PR3", "Other public provision"),
        ("PR4", "Private provision"),
        ("PR5", "Voluntary or third sector provision"),
    ]
);

code_list!(
    REASON_EPISODE_CEASED,
    5,
    "REC",
    [
        ("X1", "Episode ends and a new one begins the same day"),
        ("E11", "Adopted: application unopposed"),
        ("E12", "Adopted: consent dispensed with"),
        ("E2", "Died"),
        ("E3", "Care taken over by another UK local authority"),
        ("E4A", "Returned home as part of care planning"),
        ("E4B", "Returned home, not part of care planning"),
        ("E13", "Left care to live with parent, relative or other person without PR"),
        ("E41", "Child arrangements order granted"),
        ("E43", "Special guardianship order (historic code)"),
        ("E44", "Special guardianship order (historic code)"),
        ("E45", "SGO to former foster carer who is a relative or friend"),
        ("E46", "SGO to former foster carer who is not a relative or friend"),
        ("E47", "SGO to carer who is a relative or friend"),
        ("E48", "SGO to carer who is not a relative or friend"),
        ("E5", "Moved to independent living with formal support"),
        ("E6", "Moved to independent living without formal support"),
        ("E7", "Moved to residential care funded by adult social care"),
        ("E8", "Ceased for any other reason"),
        ("E9", "Sentenced to custody"),
        ("E14", "Accommodation on remand ended"),
        ("E15", "Age assessment found child to be 18 or over"),
        ("E16", "Child moved abroad"),
        ("E17", "Aged 18 or over and remained with current carers"),
    ]
);

code_list!(
    REASON_PLACE_CHANGE,
    6,
    "REASON_PLACE_CHANGE",
    [
        ("CARPL", "Care plan change or implementation"),
        ("CLOSE", "Provider resigned or provision closed"),
        ("ALLEG", "Allegation (section 47 enquiry)"),
        ("STAND", "Concern about standards of care"),
        ("APPRR", "Approval removed"),
        ("CREQB", "Carer asked for placement to end because of child's behaviour"),
        ("CREQO", "Carer asked for placement to end for other reasons"),
        ("CHILD", "Child asked for placement to end"),
        ("LAREQ", "Responsible or area authority asked for placement to end"),
        ("PLACE", "Change in status of the placement only"),
        ("CUSTOD", "Custody arrangement"),
        ("OTHER", "Other"),
    ]
);

/// A UK postcode as SSDA903 carries it: a full postcode (`BL3 5AB`, the
/// space optional) or, in older returns, its outward part alone (`BL3`).
/// Letters may be either case.
pub fn is_postcode(text: &str) -> bool {
    let compact: Vec<u8> = text.bytes().filter(|b| *b != b' ').map(|b| b.to_ascii_uppercase()).collect();
    let outward_ok = |o: &[u8]| -> bool {
        // A9, A99, AA9, AA99, A9A, AA9A.
        let letters = o.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        (1..=2).contains(&letters)
            && o.len() > letters
            && o[letters].is_ascii_digit()
            && o[letters + 1..].iter().all(u8::is_ascii_alphanumeric)
            && o.len() - letters <= 2
    };
    if text.matches(' ').count() > 1 || !compact.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    match compact.len() {
        2..=4 => outward_ok(&compact),
        5..=7 => {
            let (outward, inward) = compact.split_at(compact.len() - 3);
            outward_ok(outward) && inward[0].is_ascii_digit() && inward[1..].iter().all(u8::is_ascii_alphabetic)
        }
        _ => false,
    }
}

/// An Ofsted unique reference number as SSDA903 carries it: `SC` and six
/// digits (children's homes), six or seven digits, or the placeholder `XXXXXXX`.
pub fn is_urn(text: &str) -> bool {
    let b = text.as_bytes();
    text == "XXXXXXX"
        || (b.len() == 8 && b.starts_with(b"SC") && b[2..].iter().all(u8::is_ascii_digit))
        || ((6..=7).contains(&b.len()) && b.iter().all(u8::is_ascii_digit))
}

code_list!(
    /// ETHNIC: the DfE's ethnicity codes.
    ETHNICITY, 7, "ETHNIC", [
        ("WBRI", "White British"),
        ("WIRI", "White Irish"),
        ("WOTH", "Any other White background"),
        ("WIRT", "Traveller of Irish heritage"),
        ("WROM", "Gypsy or Roma"),
        ("MWBC", "White and Black Caribbean"),
        ("MWBA", "White and Black African"),
        ("MWAS", "White and Asian"),
        ("MOTH", "Any other mixed background"),
        ("AIND", "Indian"),
        ("APKN", "Pakistani"),
        ("ABAN", "Bangladeshi"),
        ("AOTH", "Any other Asian background"),
        ("BCRB", "Black Caribbean"),
        ("BAFR", "Black African"),
        ("BOTH", "Any other Black background"),
        ("CHNE", "Chinese"),
        ("OOTH", "Any other ethnic group"),
        ("REFU", "Refused"),
        ("NOBT", "Information not yet obtained"),
]);

code_list!(
    /// OC3 IN_TOUCH.
    IN_TOUCH, 8, "IN_TOUCH", [
        ("YES", "In touch"),
        ("NO", "Not in touch"),
        ("DIED", "Died after leaving care"),
        ("REFU", "Refuses contact"),
        ("NREQ", "No longer requires services"),
        ("RHOM", "Returned home for 6 months or more"),
]);

code_list!(
    /// OC3 ACTIV: main activity.
    ACTIVITY, 9, "ACTIV", [
        ("F1", "Higher education, full time"),
        ("P1", "Higher education, part time"),
        ("F2", "Other education, full time"),
        ("P2", "Other education, part time"),
        ("F3", "Training or employment, full time (historic)"),
        ("P3", "Training or employment, part time (historic)"),
        ("F4", "Apprenticeship, full time"),
        ("P4", "Apprenticeship, part time"),
        ("F5", "Training or employment, full time"),
        ("P5", "Training or employment, part time"),
        ("G4", "Not in EET: illness or disability"),
        ("G5", "Not in EET: other"),
        ("G6", "Not in EET: pregnancy or parenting"),
        ("0", "Not known"),
]);

code_list!(
    /// OC3 ACCOM: accommodation type (letter) and suitability (1 suitable, 2 not).
    ACCOMMODATION, 10, "ACCOM", [
        ("B1", "With parents or relatives, suitable"),
        ("B2", "With parents or relatives, not suitable"),
        ("C1", "Community home or other residential care, suitable"),
        ("C2", "Community home or other residential care, not suitable"),
        ("D1", "Semi-independent or supported, suitable"),
        ("D2", "Semi-independent or supported, not suitable"),
        ("E1", "Supported lodgings, suitable"),
        ("E2", "Supported lodgings, not suitable"),
        ("G1", "Gone abroad, suitable"),
        ("G2", "Gone abroad, not suitable"),
        ("H1", "Deported, suitable"),
        ("H2", "Deported, not suitable"),
        ("K1", "Ordinary lodgings, suitable"),
        ("K2", "Ordinary lodgings, not suitable"),
        ("R1", "Residence not known, suitable"),
        ("R2", "Residence not known, not suitable"),
        ("S2", "No fixed abode or homeless"),
        ("T1", "Foyer or similar, suitable"),
        ("T2", "Foyer or similar, not suitable"),
        ("U1", "Independent living, suitable"),
        ("U2", "Independent living, not suitable"),
        ("V1", "Emergency accommodation, suitable"),
        ("V2", "Emergency accommodation, not suitable"),
        ("W1", "Bed and breakfast, suitable"),
        ("W2", "Bed and breakfast, not suitable"),
        ("X2", "In custody"),
        ("Y1", "Other accommodation, suitable"),
        ("Y2", "Other accommodation, not suitable"),
        ("Z1", "With former foster carers, suitable"),
        ("Z2", "With former foster carers, not suitable"),
        ("0", "Not in touch, died or returned home"),
]);

/// Every code list, in the order of their ids.
pub static CODE_LISTS: [&CodeList; 11] = [
    &LEGAL_STATUS,
    &REASON_NEW_EPISODE,
    &CATEGORY_OF_NEED,
    &PLACEMENT,
    &PLACEMENT_PROVIDER,
    &REASON_EPISODE_CEASED,
    &REASON_PLACE_CHANGE,
    &ETHNICITY,
    &IN_TOUCH,
    &ACTIVITY,
    &ACCOMMODATION,
];

/// One SSDA903 episode: a period with one legal status and one placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Episode {
    /// DECOM: the date the episode started.
    pub start: NaiveDate,
    /// DEC: the date it ceased (exclusive); `None` while open.
    pub end: Option<NaiveDate>,
    /// RNE
    pub reason_new: Code,
    /// LS
    pub legal_status: Code,
    /// CIN
    pub category_of_need: Code,
    /// PLACE
    pub placement: Code,
    /// PLACE_PROVIDER (blank for some placements)
    pub provider: Option<Code>,
    /// REC (blank while open)
    pub reason_ceased: Option<Code>,
    /// REASON_PLACE_CHANGE
    pub reason_place_change: Option<Code>,
    /// HOME_POST
    pub home_postcode: Option<ShortText>,
    /// PL_POST
    pub placement_postcode: Option<ShortText>,
    /// URN: Ofsted unique reference number of the placement
    pub urn: Option<ShortText>,
}

impl Episode {
    /// Placement types that count as residential care for Staying Close by default.
    pub const RESIDENTIAL_PLACEMENTS: [&'static str; 3] = ["K2", "K1", "R5"];
    /// Legal statuses for pre-planned short breaks, which never count as care time.
    pub const SHORT_BREAK_STATUSES: [&'static str; 2] = ["V3", "V4"];

    pub fn is_short_break(&self) -> bool {
        Self::SHORT_BREAK_STATUSES.contains(&self.legal_status.as_str())
    }

    pub fn is_residential(&self) -> bool {
        Self::RESIDENTIAL_PLACEMENTS.contains(&self.placement.as_str())
    }

    /// Temporary placements (T0-T4): hospital, holidays, short moves.
    pub fn is_temporary(&self) -> bool {
        self.placement.starts_with('T')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lists_know_their_codes() {
        assert!(LEGAL_STATUS.contains("V3"));
        assert!(!LEGAL_STATUS.contains("v3"), "codes are case-sensitive");
        assert_eq!(PLACEMENT.meaning("K1"), Some("Secure children's home"));
        assert!(REASON_EPISODE_CEASED.contains("E4A"));
        assert!(!PLACEMENT.contains("K9"));
    }

    #[test]
    fn codes_find_their_list_again() {
        for (i, list) in CODE_LISTS.iter().enumerate() {
            assert_eq!(list.id as usize, i, "{} is at the wrong place", list.field);
            assert!(list.codes.len() < 256);
            for (text, meaning) in list.codes {
                let code = list.must(text);
                assert_eq!(code.as_str(), *text);
                assert_eq!(code.meaning(), *meaning);
                assert_eq!(code.list().field, list.field);
            }
        }
        assert_eq!(std::mem::size_of::<Code>(), 2);
        assert_eq!(PLACEMENT.must("K2").described(), "K2 Children's home");
        assert!(PLACEMENT.code("k2").is_none());
    }

    #[test]
    fn postcodes_and_urns_follow_the_return() {
        for good in ["BL3 5AB", "BL35AB", "M1 1AE", "SW1A 1AA", "bl3 5ab", "BL3", "M26", "W1A"] {
            assert!(is_postcode(good), "{good}");
        }
        for bad in ["", "B", "BL3 5A", "12345", "BL3  5AB", "BL3 5AB X", "<script>", "BL3-5AB", "ABC3 5AB"] {
            assert!(!is_postcode(bad), "{bad}");
        }
        for good in ["SC400001", "123456", "1234567", "XXXXXXX"] {
            assert!(is_urn(good), "{good}");
        }
        for bad in ["SC1", "SC40000A", "12345", "12345678", "xxxxxxx", ""] {
            assert!(!is_urn(bad), "{bad}");
        }
    }

    #[test]
    fn short_text_holds_up_to_fifteen_bytes() {
        assert_eq!(ShortText::new("BL3 5AB").unwrap().as_str(), "BL3 5AB");
        assert!(ShortText::new("0123456789ABCDE").is_some());
        assert!(ShortText::new("0123456789ABCDEF").is_none());
    }

    #[test]
    fn code_lists_have_no_duplicates() {
        for list in CODE_LISTS {
            let mut codes: Vec<_> = list.codes.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            let before = codes.len();
            codes.dedup();
            assert_eq!(before, codes.len(), "duplicate in {}", list.field);
        }
    }
}
