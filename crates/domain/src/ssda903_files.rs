//! Reading SSDA903 CSV files (Header, Episodes, OC3) and checking every row.
//!
//! Files may start with a byte-order mark, use CRLF line ends, end with
//! blank lines, carry extra columns and list columns in any order. Every bad
//! value is reported with its line, column and reason, not just the first.

use crate::dates::parse_ddmmyyyy;
use crate::people::ChildId;
use crate::ssda903::{
    CodeList, Episode, CATEGORY_OF_NEED, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE, REASON_PLACE_CHANGE,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One problem in a file. `line` is the file's own line number (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}, column {}, value {:?}: {}", self.line, self.column, self.value, self.reason)
        }
    }
}

pub const EPISODE_COLUMNS: [&str; 13] = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
];
pub const HEADER_COLUMNS: [&str; 7] = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"];
/// Columns a Header file must have; the rest may be missing.
pub const HEADER_REQUIRED: [&str; 3] = ["CHILD", "SEX", "DOB"];
pub const OC3_COLUMNS: [&str; 5] = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"];

/// A parsed CSV table: column positions by name and the non-blank rows.
struct Table {
    columns: HashMap<String, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn read(text: &str, required: &[&str]) -> Result<Table, Vec<RowError>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => return Err(vec![file_error(1, &format!("cannot read the column names: {e}"))]),
            None => return Err(vec![file_error(1, "the file is empty")]),
        };
        let columns: HashMap<String, usize> =
            header.iter().enumerate().map(|(i, name)| (name.trim().to_ascii_uppercase(), i)).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|c| !columns.contains_key(*c)).collect();
        if !missing.is_empty() {
            return Err(missing
                .into_iter()
                .map(|c| RowError {
                    line: 1,
                    column: c.to_owned(),
                    value: String::new(),
                    reason: format!("required column {c} is missing"),
                })
                .collect());
        }
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for record in records {
            match record {
                Ok(r) => {
                    let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                    if r.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    rows.push((line, r.iter().map(|f| f.trim().to_owned()).collect()));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                    errors.push(file_error(line, &format!("cannot read this row: {e}")));
                }
            }
        }
        if errors.is_empty() {
            Ok(Table { columns, rows })
        } else {
            Err(errors)
        }
    }
}

fn file_error(line: usize, reason: &str) -> RowError {
    RowError { line, column: String::new(), value: String::new(), reason: reason.to_owned() }
}

/// Reads the fields of one row, collecting every problem.
struct Row<'a> {
    line: usize,
    fields: &'a [String],
    columns: &'a HashMap<String, usize>,
    errors: &'a mut Vec<RowError>,
}

impl Row<'_> {
    fn raw(&self, column: &str) -> &str {
        self.columns.get(column).and_then(|&i| self.fields.get(i)).map(String::as_str).unwrap_or("")
    }

    fn error(&mut self, column: &str, value: &str, reason: impl Into<String>) {
        self.errors.push(RowError {
            line: self.line,
            column: column.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        });
    }

    fn optional(&self, column: &str) -> Option<String> {
        let v = self.raw(column);
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn required(&mut self, column: &str) -> Option<String> {
        let v = self.raw(column).to_owned();
        if v.is_empty() {
            self.error(column, "", format!("{column} is required"));
            None
        } else {
            Some(v)
        }
    }

    fn child(&mut self) -> Option<ChildId> {
        let v = self.required("CHILD")?;
        match ChildId::parse(&v) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error("CHILD", &v, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, column: &str, required: bool) -> Option<Option<NaiveDate>> {
        let v = self.raw(column).to_owned();
        if v.is_empty() {
            if required {
                self.error(column, "", format!("{column} is required"));
                return None;
            }
            return Some(None);
        }
        match parse_ddmmyyyy(&v) {
            Some(d) => Some(Some(d)),
            None => {
                self.error(column, &v, "not a real date in the form dd/mm/yyyy");
                None
            }
        }
    }

    fn code(&mut self, column: &str, list: &CodeList, required: bool) -> Option<Option<String>> {
        let v = self.raw(column).to_owned();
        if v.is_empty() {
            if required {
                self.error(column, "", format!("{column} is required"));
                return None;
            }
            return Some(None);
        }
        if list.contains(&v) {
            Some(Some(v))
        } else {
            self.error(column, &v, format!("not a valid {} code", list.field));
            None
        }
    }
}

/// Every row when no row had a problem, else every problem.
fn rows_unless_errors<T>(rows: Vec<T>, errors: Vec<RowError>) -> Result<Vec<T>, Vec<RowError>> {
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// One valid episode row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeRow {
    pub line: usize,
    pub child: ChildId,
    pub episode: Episode,
}

/// Reads an Episodes file, returning every row or every problem.
pub fn parse_episodes(text: &str) -> Result<Vec<EpisodeRow>, Vec<RowError>> {
    let table = Table::read(text, &EPISODE_COLUMNS)?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, fields) in &table.rows {
        let mut row = Row { line: *line, fields, columns: &table.columns, errors: &mut errors };
        let child = row.child();
        let start = row.date("DECOM", true);
        let end = row.date("DEC", false);
        let rne = row.code("RNE", &REASON_NEW_EPISODE, true);
        let ls = row.code("LS", &LEGAL_STATUS, true);
        let cin = row.code("CIN", &CATEGORY_OF_NEED, true);
        let place = row.code("PLACE", &PLACEMENT, true);
        let provider = row.code("PLACE_PROVIDER", &PLACEMENT_PROVIDER, false);
        let rec = row.code("REC", &REASON_EPISODE_CEASED, false);
        let rpc = row.code("REASON_PLACE_CHANGE", &REASON_PLACE_CHANGE, false);
        if let (Some(Some(s)), Some(Some(e))) = (start, end) {
            if e < s {
                let raw = row.raw("DEC").to_owned();
                row.error("DEC", &raw, format!("DEC is before DECOM ({})", row.raw("DECOM")));
            }
        }
        match (&end, &rec) {
            (Some(Some(_)), Some(None)) => row.error("REC", "", "REC is required when DEC is given"),
            (Some(None), Some(Some(r))) => {
                let r = r.clone();
                row.error("REC", &r, "REC must be blank while the episode is open (no DEC)");
            }
            _ => {}
        }
        if let (
            Some(child),
            Some(Some(start)),
            Some(end),
            Some(Some(rne)),
            Some(Some(ls)),
            Some(Some(cin)),
            Some(Some(place)),
            Some(provider),
            Some(rec),
            Some(rpc),
        ) = (child, start, end, rne, ls, cin, place, provider, rec, rpc)
        {
            out.push(EpisodeRow {
                line: *line,
                child,
                episode: Episode {
                    start,
                    end,
                    reason_new: rne,
                    legal_status: ls,
                    category_of_need: cin,
                    placement: place,
                    provider,
                    reason_ceased: rec,
                    reason_place_change: rpc,
                    home_postcode: row.optional("HOME_POST"),
                    placement_postcode: row.optional("PL_POST"),
                    urn: row.optional("URN"),
                },
            });
        }
    }
    rows_unless_errors(out, errors)
}

/// One child from the Header file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRow {
    pub line: usize,
    pub child: ChildId,
    /// 1 male, 2 female.
    pub sex: u8,
    pub dob: NaiveDate,
    pub ethnicity: Option<String>,
}

pub fn parse_header(text: &str) -> Result<Vec<HeaderRow>, Vec<RowError>> {
    let table = Table::read(text, &HEADER_REQUIRED)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, fields) in &table.rows {
        let mut row = Row { line: *line, fields, columns: &table.columns, errors: &mut errors };
        let child = row.child();
        let sex = match row.required("SEX") {
            Some(v) if v == "1" || v == "2" => Some(if v == "1" { 1 } else { 2 }),
            Some(v) => {
                row.error("SEX", &v, "SEX must be 1 (male) or 2 (female)");
                None
            }
            None => None,
        };
        let dob = row.date("DOB", true);
        if let Some(c) = &child {
            if let Some(first) = seen.insert(c.to_string(), *line) {
                row.error("CHILD", c.as_str(), format!("child {c} is listed twice (also on line {first})"));
            }
        }
        if let (Some(child), Some(sex), Some(Some(dob))) = (child, sex, dob) {
            out.push(HeaderRow { line: *line, child, sex, dob, ethnicity: row.optional("ETHNIC") });
        }
    }
    rows_unless_errors(out, errors)
}

/// One care leaver's OC3 outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Row {
    pub line: usize,
    pub child: ChildId,
    pub dob: NaiveDate,
    pub in_touch: String,
    pub activity: String,
    pub accommodation: String,
}

pub const IN_TOUCH: CodeList = CodeList {
    field: "IN_TOUCH",
    codes: &[
        ("YES", "In touch"),
        ("NO", "Not in touch"),
        ("DIED", "Died after leaving care"),
        ("REFU", "Refuses contact"),
        ("NREQ", "No longer requires services"),
        ("RHOM", "Returned home for 6 months or more"),
    ],
};

pub const ACTIVITY: CodeList = CodeList {
    field: "ACTIV",
    codes: &[
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
    ],
};

pub const ACCOMMODATION: CodeList = CodeList {
    field: "ACCOM",
    codes: &[
        ("B1", ""),
        ("B2", ""),
        ("C1", ""),
        ("C2", ""),
        ("D1", ""),
        ("D2", ""),
        ("E1", ""),
        ("E2", ""),
        ("G1", ""),
        ("G2", ""),
        ("H1", ""),
        ("H2", ""),
        ("K1", ""),
        ("K2", ""),
        ("R1", ""),
        ("R2", ""),
        ("S2", ""),
        ("T1", ""),
        ("T2", ""),
        ("U1", ""),
        ("U2", ""),
        ("V1", ""),
        ("V2", ""),
        ("W1", ""),
        ("W2", ""),
        ("X2", ""),
        ("Y1", ""),
        ("Y2", ""),
        ("Z1", ""),
        ("Z2", ""),
        ("0", ""),
    ],
};

pub fn parse_oc3(text: &str) -> Result<Vec<Oc3Row>, Vec<RowError>> {
    let table = Table::read(text, &OC3_COLUMNS)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (line, fields) in &table.rows {
        let mut row = Row { line: *line, fields, columns: &table.columns, errors: &mut errors };
        let child = row.child();
        let dob = row.date("DOB", true);
        let in_touch = row.code("IN_TOUCH", &IN_TOUCH, true);
        let activity = row.code("ACTIV", &ACTIVITY, true);
        let accommodation = row.code("ACCOM", &ACCOMMODATION, true);
        if let (Some(child), Some(Some(dob)), Some(Some(in_touch)), Some(Some(activity)), Some(Some(accommodation))) =
            (child, dob, in_touch, activity, accommodation)
        {
            out.push(Oc3Row { line: *line, child, dob, in_touch, activity, accommodation });
        }
    }
    rows_unless_errors(out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

    #[test]
    fn reads_a_clean_file() {
        let text = format!("{HEAD}\nDB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,X1,CARPL,BL3,BL1,SC400001\nDB1,01/10/2021,P,C2,N1,U6,PR4,,,,BL3,,\n");
        let rows = parse_episodes(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].episode.end, None);
        assert_eq!(rows[0].episode.urn.as_deref(), Some("SC400001"));
    }

    #[test]
    fn tolerates_bom_crlf_blank_lines_extra_columns_and_any_order() {
        let text = "\u{feff}URN,EXTRA,PL_POST,HOME_POST,REASON_PLACE_CHANGE,REC,DEC,PLACE_PROVIDER,PLACE,CIN,LS,RNE,DECOM,CHILD\r\n\
                    ,x,,,,,,PR1,K2,N1,C2,S,08/01/2024,DB9\r\n\r\n\r\n";
        let rows = parse_episodes(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].child.as_str(), "DB9");
        assert_eq!(rows[0].episode.placement, "K2");
    }

    #[test]
    fn reports_every_bad_value_with_line_and_column() {
        let text = format!(
            "{HEAD}\nDB1,31/02/2021,S,C2,N1,K2,PR1,,,,,,\nDB1,01/03/2021,S,C9,N1,K2,PR1,01/02/2021,X1,,,,\nDB-1,01/03/2021,S,C2,N1,ZZ,,,E5,,,,\n"
        );
        let errors = parse_episodes(&text).unwrap_err();
        let find = |line: usize, column: &str| errors.iter().find(|e| e.line == line && e.column == column);
        assert_eq!(find(2, "DECOM").unwrap().value, "31/02/2021");
        assert_eq!(find(3, "LS").unwrap().reason, "not a valid LS code");
        assert!(find(3, "DEC").unwrap().reason.contains("before DECOM"));
        assert!(find(4, "CHILD").is_some());
        assert_eq!(find(4, "PLACE").unwrap().value, "ZZ");
        assert!(find(4, "REC").unwrap().reason.contains("blank while the episode is open"));
        assert_eq!(errors.len(), 6, "{errors:#?}");
    }

    #[test]
    fn missing_columns_are_named() {
        let errors = parse_episodes("CHILD,DECOM\nDB1,01/01/2020\n").unwrap_err();
        assert!(errors.iter().any(|e| e.column == "PLACE" && e.line == 1 && e.reason.contains("missing")));
        assert_eq!(errors.len(), 11);
    }

    #[test]
    fn codes_are_case_sensitive() {
        let text = format!("{HEAD}\nDB1,01/03/2021,S,c2,N1,K2,PR1,,,,,,\n");
        assert_eq!(parse_episodes(&text).unwrap_err()[0].column, "LS");
    }

    #[test]
    fn header_rows_are_checked_and_unique() {
        let text = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nDB1,1,10/06/2007,WBRI,,,\nDB1,3,10/06/2007,WBRI,,,\n";
        let errors = parse_header(text).unwrap_err();
        assert!(errors.iter().any(|e| e.line == 3 && e.column == "SEX"));
        assert!(errors.iter().any(|e| e.line == 3 && e.column == "CHILD" && e.reason.contains("listed twice")));
        let ok = parse_header("CHILD,SEX,DOB\nDB1,2,29/02/2008\n").unwrap();
        assert_eq!(ok[0].sex, 2);
    }

    #[test]
    fn oc3_codes_are_checked() {
        let ok = parse_oc3("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,YES,F5,U1\n").unwrap();
        assert_eq!(ok[0].accommodation, "U1");
        let errors = parse_oc3("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,MAYBE,F9,S1\n").unwrap_err();
        let columns: Vec<_> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["IN_TOUCH", "ACTIV", "ACCOM"]);
    }
}

/// A problem found in one of the files of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// Which file: `header`, `episodes` or `oc3`.
    pub file: &'static str,
    #[serde(flatten)]
    pub error: RowError,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} file, {}", self.file, self.error)
    }
}

/// A complete, checked SSDA903 import: every child, their episodes, their outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Import903 {
    pub children: Vec<HeaderRow>,
    pub episodes: Vec<EpisodeRow>,
    pub outcomes: Vec<Oc3Row>,
}

/// The rows of one file, or none with its errors added (tagged with the file).
fn rows_or_errors<T>(
    parsed: Result<Vec<T>, Vec<RowError>>,
    file: &'static str,
    errors: &mut Vec<ImportError>,
) -> Vec<T> {
    parsed.unwrap_or_else(|found| {
        errors.extend(found.into_iter().map(|error| ImportError { file, error }));
        Vec::new()
    })
}

/// Reads and checks the files of an import together: each on its own, then
/// across files (every episode's and outcome's child is in the header, dates
/// of birth agree, no child has two episodes starting the same day).
pub fn parse_import(header: &str, episodes: &str, oc3: Option<&str>) -> Result<Import903, Vec<ImportError>> {
    let mut errors = Vec::new();
    let children = rows_or_errors(parse_header(header), "header", &mut errors);
    let episode_rows = rows_or_errors(parse_episodes(episodes), "episodes", &mut errors);
    let outcomes = oc3.map(|text| rows_or_errors(parse_oc3(text), "oc3", &mut errors)).unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    let by_child: HashMap<&str, &HeaderRow> = children.iter().map(|c| (c.child.as_str(), c)).collect();
    let mut starts: HashMap<(&str, NaiveDate), usize> = HashMap::new();
    for row in &episode_rows {
        let child = row.child.as_str();
        if !by_child.contains_key(child) {
            errors.push(ImportError {
                file: "episodes",
                error: RowError {
                    line: row.line,
                    column: "CHILD".into(),
                    value: child.into(),
                    reason: "this child is not in the header file".into(),
                },
            });
        }
        if let Some(first) = starts.insert((child, row.episode.start), row.line) {
            errors.push(ImportError {
                file: "episodes",
                error: RowError {
                    line: row.line,
                    column: "DECOM".into(),
                    value: row.episode.start.format("%d/%m/%Y").to_string(),
                    reason: format!("child {child} already has an episode starting on this date (line {first})"),
                },
            });
        }
    }
    for row in &outcomes {
        match by_child.get(row.child.as_str()) {
            None => errors.push(ImportError {
                file: "oc3",
                error: RowError {
                    line: row.line,
                    column: "CHILD".into(),
                    value: row.child.to_string(),
                    reason: "this child is not in the header file".into(),
                },
            }),
            Some(h) if h.dob != row.dob => errors.push(ImportError {
                file: "oc3",
                error: RowError {
                    line: row.line,
                    column: "DOB".into(),
                    value: row.dob.format("%d/%m/%Y").to_string(),
                    reason: format!("does not match the header file's date of birth ({})", h.dob.format("%d/%m/%Y")),
                },
            }),
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(Import903 { children, episodes: episode_rows, outcomes })
    } else {
        errors.sort_by(|a, b| (a.file, a.error.line).cmp(&(b.file, b.error.line)));
        Err(errors)
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC\nDB1,1,10/06/2007,WBRI\nDB2,2,20/01/2009,WBRI\n";
    const EPISODES: &str =
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
        DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,\n\
        DB3,01/03/2021,S,C2,N1,K2,PR1,,,,,,\n\
        DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,\n";

    #[test]
    fn cross_file_problems_are_all_reported() {
        let oc3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB2,21/01/2009,YES,F5,U1\nDB9,01/01/2008,YES,F5,U1\n";
        let errors = parse_import(HEADER, EPISODES, Some(oc3)).unwrap_err();
        let summary: Vec<String> =
            errors.iter().map(|e| format!("{}:{}:{}", e.file, e.error.line, e.error.column)).collect();
        assert_eq!(summary, ["episodes:3:CHILD", "episodes:4:DECOM", "oc3:2:DOB", "oc3:3:CHILD"]);
    }

    #[test]
    fn errors_in_several_files_are_reported_together() {
        let errors = parse_import("CHILD,SEX,DOB\nDB1,7,10/06/2007\n", "CHILD\n", None).unwrap_err();
        assert!(errors.iter().any(|e| e.file == "header" && e.error.column == "SEX"));
        assert!(errors.iter().any(|e| e.file == "episodes" && e.error.column == "DECOM"));
    }

    #[test]
    fn a_consistent_import_is_accepted() {
        let episodes =
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
            DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,\n";
        let import = parse_import(HEADER, episodes, None).unwrap();
        assert_eq!(import.children.len(), 2);
        assert_eq!(import.episodes.len(), 1);
    }
}
