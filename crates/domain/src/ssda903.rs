//! SSDA903 (children looked after return) codes and the care episode record.
//!
//! Code lists are data, not enums: DfE changes them between collection years,
//! so each list is a table of (code, meaning) that can be replaced as a whole.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One code list: the accepted codes and what each means.
#[derive(Debug, Clone, Copy)]
pub struct CodeList {
    pub field: &'static str,
    pub codes: &'static [(&'static str, &'static str)],
}

impl CodeList {
    pub fn contains(&self, code: &str) -> bool {
        self.codes.iter().any(|(c, _)| *c == code)
    }

    pub fn meaning(&self, code: &str) -> Option<&'static str> {
        self.codes.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
    }
}

pub const LEGAL_STATUS: CodeList = CodeList {
    field: "LS",
    codes: &[
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
    ],
};

pub const REASON_NEW_EPISODE: CodeList = CodeList {
    field: "RNE",
    codes: &[
        ("S", "Started to be looked after"),
        ("L", "Change of legal status only"),
        ("P", "Change of placement and carer(s) only"),
        ("T", "Change of placement but same carer(s) only"),
        ("B", "Change of legal status and of placement and carer(s)"),
        ("U", "Change of legal status and of placement (same carer(s))"),
    ],
};

pub const CATEGORY_OF_NEED: CodeList = CodeList {
    field: "CIN",
    codes: &[
        ("N1", "Abuse or neglect"),
        ("N2", "Child's disability"),
        ("N3", "Parental illness or disability"),
        ("N4", "Family in acute stress"),
        ("N5", "Family dysfunction"),
        ("N6", "Socially unacceptable behaviour"),
        ("N7", "Low income"),
        ("N8", "Absent parenting"),
    ],
};

pub const PLACEMENT: CodeList = CodeList {
    field: "PLACE",
    codes: &[
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
    ],
};

pub const PLACEMENT_PROVIDER: CodeList = CodeList {
    field: "PLACE_PROVIDER",
    codes: &[
        ("PR0", "Parent(s) or person with parental responsibility"),
        ("PR1", "Own local authority provision"),
        ("PR2", "Another local authority's provision"),
        ("PR3", "Other public provision"),
        ("PR4", "Private provision"),
        ("PR5", "Voluntary or third sector provision"),
    ],
};

pub const REASON_EPISODE_CEASED: CodeList = CodeList {
    field: "REC",
    codes: &[
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
    ],
};

pub const REASON_PLACE_CHANGE: CodeList = CodeList {
    field: "REASON_PLACE_CHANGE",
    codes: &[
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
    ],
};

/// One SSDA903 episode: a period with one legal status and one placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// DECOM: the date the episode started.
    pub start: NaiveDate,
    /// DEC: the date it ceased (exclusive); `None` while open.
    pub end: Option<NaiveDate>,
    /// RNE
    pub reason_new: String,
    /// LS
    pub legal_status: String,
    /// CIN
    pub category_of_need: String,
    /// PLACE
    pub placement: String,
    /// PLACE_PROVIDER (blank for some placements)
    pub provider: Option<String>,
    /// REC (blank while open)
    pub reason_ceased: Option<String>,
    /// REASON_PLACE_CHANGE
    pub reason_place_change: Option<String>,
    /// HOME_POST, district level
    pub home_postcode: Option<String>,
    /// PL_POST, district level
    pub placement_postcode: Option<String>,
    /// URN: Ofsted unique reference number of the placement
    pub urn: Option<String>,
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
    fn code_lists_have_no_duplicates() {
        for list in [
            LEGAL_STATUS,
            REASON_NEW_EPISODE,
            CATEGORY_OF_NEED,
            PLACEMENT,
            PLACEMENT_PROVIDER,
            REASON_EPISODE_CEASED,
            REASON_PLACE_CHANGE,
        ] {
            let mut codes: Vec<_> = list.codes.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            let before = codes.len();
            codes.dedup();
            assert_eq!(before, codes.len(), "duplicate in {}", list.field);
        }
    }
}
