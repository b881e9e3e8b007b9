//! Reading SSDA903 CSV files (Header, Episodes, OC3) and checking every row.
//!
//! Files may start with a byte-order mark, end lines with LF, CRLF or CR,
//! quote fields that hold line breaks, end with blank lines, carry extra
//! columns and list columns in any order. Every problem is reported with the
//! file's own line number, the column and the value, and all of them at
//! once: each row's fields, then the checks across rows and across files, in
//! one pass. Rows are read one at a time into one reused record, so reading
//! costs little more than the CSV parse itself (docs/perf.md).

use crate::dates::parse_ddmmyyyy;
use crate::identifiers::{IdentifierError, Upn, UNKNOWN_UPN_CODES};
use crate::people::{ChildId, Sex};
use crate::ssda903::{
    is_postcode, is_urn, Code, CodeList, Episode, ShortText, ACCOMMODATION, ACTIVITY, CATEGORY_OF_NEED, ETHNICITY,
    IN_TOUCH, LEGAL_STATUS, PLACEMENT, PLACEMENT_PROVIDER, REASON_EPISODE_CEASED, REASON_NEW_EPISODE,
    REASON_PLACE_CHANGE,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// One problem in a file. `line` is the file's own line number (the column
/// names are line 1), counting every line break, including those inside
/// quoted fields.
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

/// The placeholder URN for a placement that has none.
pub const URN_PLACEHOLDER: &str = "XXXXXXX";
/// Placements whose URN is required (a registered children's home or secure home).
const URN_REQUIRED: [&str; 2] = ["K1", "K2"];
/// Placements whose URN must be blank.
const URN_BLANK: [&str; 14] = ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"];
/// Placements whose PLACE_PROVIDER must be blank.
const PROVIDER_BLANK: [&str; 10] = ["T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"];

/// FNV-1a: child ids are short and come from the LA's own files, so a
/// cheap hash serves the maps of children read from one import.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type ChildMap<V> = HashMap<ChildId, V, std::hash::BuildHasherDefault<Fnv>>;

fn uk(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Counts the line breaks (LF, CRLF or a lone CR, each one break) before
/// each record's first byte, moving forward through the file once.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
    after_cr: bool,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter { text, at: 0, line: 1, after_cr: false }
    }

    /// The line on which the byte at `offset` lies (offsets never go back).
    fn line_at(&mut self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        let chunk = &self.text[self.at.min(end)..end];
        if !chunk.contains(&b'\r') && !self.after_cr {
            // LF only: a plain count, which the compiler vectorises.
            self.line += chunk.iter().filter(|b| **b == b'\n').count();
        } else {
            for &b in chunk {
                match b {
                    b'\r' => self.line += 1,
                    b'\n' if !self.after_cr => self.line += 1,
                    _ => {}
                }
                self.after_cr = b == b'\r';
            }
        }
        if let Some(last) = chunk.last() {
            self.after_cr = *last == b'\r';
        }
        self.at = self.at.max(end);
        self.line
    }
}

/// A column of the file by name, and where it is (if the file has it).
#[derive(Clone, Copy)]
struct Col {
    name: &'static str,
    at: Option<usize>,
}

/// Reads a CSV file one row at a time, calling `each` with every non-blank
/// row; problems with the file itself (missing columns, unreadable rows)
/// are added to `errors`. Returns the columns (in the order of `names`), or
/// `None` when the file cannot be read at all.
fn read_rows<const N: usize>(
    text: &str,
    names: &[&'static str; N],
    required: &[&str],
    errors: &mut Vec<RowError>,
    mut each: impl FnMut(&mut Row<'_, N>),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return errors.push(file_error(1, "the file is empty")),
        Err(e) => return errors.push(file_error(1, &format!("cannot read the column names: {e}"))),
    }
    let positions: HashMap<String, usize> =
        record.iter().enumerate().map(|(i, name)| (name.trim().to_ascii_uppercase(), i)).collect();
    let missing: Vec<&str> = required.iter().copied().filter(|c| !positions.contains_key(*c)).collect();
    if !missing.is_empty() {
        errors.extend(missing.into_iter().map(|c| RowError {
            line: 1,
            column: c.to_owned(),
            value: String::new(),
            reason: format!("required column {c} is missing"),
        }));
        return;
    }
    let columns: [Col; N] = std::array::from_fn(|i| Col { name: names[i], at: positions.get(names[i]).copied() });
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                if record.as_slice().bytes().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                let offset = record.position().map(|p| p.byte() as usize).unwrap_or(0);
                let line = lines.line_at(offset);
                each(&mut Row { line, record: &record, columns: &columns, errors: &mut *errors });
            }
            Err(e) => {
                let offset = e.position().map(|p| p.byte() as usize).unwrap_or(0);
                let line = lines.line_at(offset);
                errors.push(file_error(line, &format!("cannot read this row: {e}")));
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
}

fn file_error(line: usize, reason: &str) -> RowError {
    RowError { line, column: String::new(), value: String::new(), reason: reason.to_owned() }
}

/// The fields of one row, read in place, collecting every problem.
struct Row<'a, const N: usize> {
    line: usize,
    record: &'a csv::StringRecord,
    columns: &'a [Col; N],
    errors: &'a mut Vec<RowError>,
}

impl<const N: usize> Row<'_, N> {
    fn col(&self, i: usize) -> Col {
        self.columns[i]
    }

    /// The field in column `i`, trimmed ("" when the row has no such column).
    fn raw(&self, i: usize) -> &str {
        let field = self.col(i).at.and_then(|at| self.record.get(at)).unwrap_or("");
        // Most fields have no surrounding spaces: skip the trim for them.
        match (field.as_bytes().first(), field.as_bytes().last()) {
            (Some(a), Some(z)) if a.is_ascii_whitespace() || z.is_ascii_whitespace() => field.trim(),
            _ => field,
        }
    }

    fn error(&mut self, i: usize, value: &str, reason: impl Into<String>) {
        let column = self.col(i).name.to_owned();
        self.errors.push(RowError { line: self.line, column, value: value.to_owned(), reason: reason.into() });
    }

    fn required(&mut self, i: usize) -> Option<&str> {
        if self.raw(i).is_empty() {
            let name = self.col(i).name;
            self.error(i, "", format!("{name} is required"));
            return None;
        }
        Some(self.raw(i))
    }

    fn child(&mut self, i: usize) -> Option<ChildId> {
        let v = self.required(i)?;
        match ChildId::parse(v) {
            Ok(c) => Some(c),
            Err(e) => {
                let v = v.to_owned();
                self.error(i, &v, e.to_string());
                None
            }
        }
    }

    /// `Some(None)` for a blank optional date; `None` when there is a problem.
    fn date(&mut self, i: usize, required: bool) -> Option<Option<NaiveDate>> {
        let v = self.raw(i);
        if v.is_empty() {
            if required {
                let name = self.col(i).name;
                self.error(i, "", format!("{name} is required"));
                return None;
            }
            return Some(None);
        }
        match parse_ddmmyyyy(v) {
            Some(d) => Some(Some(d)),
            None => {
                let v = v.to_owned();
                self.error(i, &v, "not a real date in the form dd/mm/yyyy");
                None
            }
        }
    }

    /// `Some(None)` for a blank optional code; `None` when there is a problem.
    fn code(&mut self, i: usize, list: &CodeList, required: bool) -> Option<Option<Code>> {
        let v = self.raw(i);
        if v.is_empty() {
            if required {
                let name = self.col(i).name;
                self.error(i, "", format!("{name} is required"));
                return None;
            }
            return Some(None);
        }
        match list.code(v) {
            Some(code) => Some(Some(code)),
            None => {
                let v = v.to_owned();
                self.error(i, &v, format!("not a valid {} code", list.field));
                None
            }
        }
    }

    /// An optional short field that must pass `valid`, described by `what`.
    fn short_text(&mut self, i: usize, valid: fn(&str) -> bool, what: &str) -> Option<Option<ShortText>> {
        let v = self.raw(i);
        if v.is_empty() {
            return Some(None);
        }
        match ShortText::new(v).filter(|_| valid(v)) {
            Some(t) => Some(Some(t)),
            None => {
                let shown: String = v.chars().take(40).collect();
                self.error(i, &shown, format!("not {what}"));
                None
            }
        }
    }
}

/// One valid episode row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeRow {
    pub line: usize,
    pub child: ChildId,
    pub episode: Episode,
}

/// What the checks across rows need from an episode row, kept even when
/// another field of the row has a problem, so both kinds are found at once.
#[derive(Debug, Clone, Copy)]
struct EpisodeKey {
    line: usize,
    child: ChildId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    temporary: bool,
    reason_place_change: bool,
}

impl EpisodeRow {
    fn key(&self) -> EpisodeKey {
        EpisodeKey {
            line: self.line,
            child: self.child,
            start: self.episode.start,
            end: self.episode.end,
            temporary: self.episode.is_temporary(),
            reason_place_change: self.episode.reason_place_change.is_some(),
        }
    }
}

/// The rows of an Episodes file that passed, and the keys of those that did not.
struct EpisodesRead {
    rows: Vec<EpisodeRow>,
    partial: Vec<EpisodeKey>,
}

/// About how many rows a file of this size holds, to size the list once.
fn rows_expected(text: &str) -> usize {
    text.len() / 64
}

fn read_episodes(text: &str, errors: &mut Vec<RowError>) -> EpisodesRead {
    const CHILD: usize = 0;
    const DECOM: usize = 1;
    const RNE: usize = 2;
    const LS: usize = 3;
    const CIN: usize = 4;
    const PLACE: usize = 5;
    const PROVIDER: usize = 6;
    const DEC: usize = 7;
    const REC: usize = 8;
    const RPC: usize = 9;
    const HOME_POST: usize = 10;
    const PL_POST: usize = 11;
    const URN: usize = 12;
    let mut read = EpisodesRead { rows: Vec::with_capacity(rows_expected(text)), partial: Vec::new() };
    read_rows(text, &EPISODE_COLUMNS, &EPISODE_COLUMNS, errors, |row| {
        let before = row.errors.len();
        let child = row.child(CHILD);
        let start = row.date(DECOM, true).flatten();
        let end = row.date(DEC, false);
        let rne = row.code(RNE, &REASON_NEW_EPISODE, true).flatten();
        let ls = row.code(LS, &LEGAL_STATUS, true).flatten();
        let cin = row.code(CIN, &CATEGORY_OF_NEED, true).flatten();
        let place = row.code(PLACE, &PLACEMENT, true).flatten();
        let provider = row.code(PROVIDER, &PLACEMENT_PROVIDER, false);
        let rec = row.code(REC, &REASON_EPISODE_CEASED, false);
        let rpc = row.code(RPC, &REASON_PLACE_CHANGE, false);
        let home = row.short_text(HOME_POST, is_postcode, "a postcode, like BL3 5AB");
        let pl_post = row.short_text(PL_POST, is_postcode, "a postcode, like BL3 5AB");
        let urn = row.short_text(URN, is_urn, "an Ofsted URN, like SC400001, or XXXXXXX when there is none");
        if let (Some(s), Some(Some(e))) = (start, end) {
            if e < s {
                let raw = row.raw(DEC).to_owned();
                row.error(DEC, &raw, format!("DEC is before DECOM ({})", uk(s)));
            }
        }
        match (&end, &rec) {
            (Some(Some(_)), Some(None)) => row.error(REC, "", "REC is required when DEC is given"),
            (Some(None), Some(Some(r))) => {
                row.error(REC, r.as_str(), "REC must be blank while the episode is open (no DEC)")
            }
            _ => {}
        }
        if let (Some(None), Some(Some(r))) = (&end, &rpc) {
            row.error(RPC, r.as_str(), "REASON_PLACE_CHANGE must be blank while the episode is open (no DEC)");
        }
        if let Some(place) = place {
            let p = place.as_str();
            if let Some(Some(r)) = &rpc {
                if p.starts_with('T') {
                    row.error(
                        RPC,
                        r.as_str(),
                        format!("REASON_PLACE_CHANGE must be blank for a temporary placement ({p})"),
                    );
                }
            }
            if let Some(Some(provider)) = &provider {
                if PROVIDER_BLANK.contains(&p) {
                    row.error(PROVIDER, provider.as_str(), format!("PLACE_PROVIDER must be blank for placement {p}"));
                }
            }
            match &urn {
                Some(None) if URN_REQUIRED.contains(&p) => row.error(
                    URN,
                    "",
                    format!("URN is required for placement {p} (use {URN_PLACEHOLDER} when the placement has none)"),
                ),
                Some(Some(u)) if URN_BLANK.contains(&p) => {
                    row.error(URN, u.as_str(), format!("URN must be blank for placement {p}"))
                }
                _ => {}
            }
        }
        let clean = row.errors.len() == before;
        match (child, start, end, rne, ls, cin, place, provider, rec, rpc, home, pl_post, urn) {
            (
                Some(child),
                Some(start),
                Some(end),
                Some(reason_new),
                Some(legal_status),
                Some(category_of_need),
                Some(placement),
                Some(provider),
                Some(reason_ceased),
                Some(reason_place_change),
                Some(home_postcode),
                Some(placement_postcode),
                Some(urn),
            ) if clean => read.rows.push(EpisodeRow {
                line: row.line,
                child,
                episode: Episode {
                    start,
                    end,
                    reason_new,
                    legal_status,
                    category_of_need,
                    placement,
                    provider,
                    reason_ceased,
                    reason_place_change,
                    home_postcode,
                    placement_postcode,
                    urn,
                },
            }),
            (Some(child), Some(start), Some(end), _, _, _, place, _, _, rpc, ..) => read.partial.push(EpisodeKey {
                line: row.line,
                child,
                start,
                end,
                temporary: place.is_some_and(|p| p.starts_with('T')),
                reason_place_change: matches!(rpc, Some(Some(_))),
            }),
            _ => {}
        }
    });
    read
}

/// The checks across one child's episodes: no two start the same day, none
/// overlap, an open episode is the last, and the episode just before a
/// temporary placement gives no reason for a placement change.
fn check_episode_sequence(keys: &mut [EpisodeKey], errors: &mut Vec<RowError>) {
    keys.sort_by_key(|k| (k.child, k.start, k.line));
    for pair in keys.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.child != b.child {
            continue;
        }
        let child = a.child;
        if a.start == b.start {
            errors.push(RowError {
                line: b.line,
                column: "DECOM".into(),
                value: uk(b.start),
                reason: format!("child {child} already has an episode starting on this date (line {})", a.line),
            });
            continue;
        }
        match a.end {
            None => errors.push(RowError {
                line: a.line,
                column: "DEC".into(),
                value: String::new(),
                reason: format!(
                    "DEC is blank (the episode is open), but child {child} has a later episode starting on {} (line {}): only the last episode may be open",
                    uk(b.start),
                    b.line
                ),
            }),
            Some(end) if end > b.start => errors.push(RowError {
                line: b.line,
                column: "DECOM".into(),
                value: uk(b.start),
                reason: format!(
                    "this episode starts before child {child}'s episode of line {} ends ({}): episodes must not overlap",
                    a.line,
                    uk(end)
                ),
            }),
            Some(_) => {}
        }
        if b.temporary && a.reason_place_change && a.end == Some(b.start) {
            errors.push(RowError {
                line: a.line,
                column: "REASON_PLACE_CHANGE".into(),
                value: String::new(),
                reason: format!(
                    "REASON_PLACE_CHANGE must be blank on the episode just before a temporary placement (line {})",
                    b.line
                ),
            });
        }
    }
}

/// Reads an Episodes file and checks its rows and the sequence of each
/// child's episodes, returning every row or every problem.
pub fn parse_episodes(text: &str) -> Result<Vec<EpisodeRow>, Vec<RowError>> {
    let mut errors = Vec::new();
    let read = read_episodes(text, &mut errors);
    let mut keys: Vec<EpisodeKey> = read.rows.iter().map(EpisodeRow::key).chain(read.partial).collect();
    check_episode_sequence(&mut keys, &mut errors);
    rows_unless_errors(read.rows, errors)
}

fn rows_unless_errors<T>(rows: Vec<T>, mut errors: Vec<RowError>) -> Result<Vec<T>, Vec<RowError>> {
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// One child from the Header file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRow {
    pub line: usize,
    pub child: ChildId,
    pub sex: Sex,
    pub dob: NaiveDate,
    pub ethnicity: Option<Code>,
}

/// What the checks across files need from a Header row.
#[derive(Debug, Clone, Copy)]
struct HeaderKey {
    line: usize,
    dob: Option<NaiveDate>,
}

struct HeaderRead {
    rows: Vec<HeaderRow>,
    /// Every child named on a readable row, with its line and date of birth.
    children: ChildMap<HeaderKey>,
}

fn read_header(text: &str, errors: &mut Vec<RowError>) -> HeaderRead {
    const CHILD: usize = 0;
    const SEX: usize = 1;
    const DOB: usize = 2;
    const ETHNIC: usize = 3;
    const UPN: usize = 4;
    let mut read = HeaderRead { rows: Vec::new(), children: ChildMap::default() };
    read_rows(text, &HEADER_COLUMNS, &HEADER_REQUIRED, errors, |row| {
        let before = row.errors.len();
        let child = row.child(CHILD);
        let sex = match row.required(SEX) {
            Some(v) => {
                match Sex::from_ssda903(v) {
                    Some(sex) => Some(sex),
                    None => {
                        let v = v.to_owned();
                        row.error(SEX, &v, "SEX must be M (male), F (female) or U (not known); older returns' 1 and 2 are read as M and F");
                        None
                    }
                }
            }
            None => None,
        };
        let dob = row.date(DOB, true).flatten();
        let ethnicity = row.code(ETHNIC, &ETHNICITY, false);
        let upn = row.raw(UPN);
        if !upn.is_empty() && !UNKNOWN_UPN_CODES.contains(&upn) {
            if let Err(e) = Upn::parse(upn) {
                let why = match e {
                    IdentifierError::UpnCheck => "not a valid UPN: the check letter does not match the rest",
                    _ => "not a UPN: expected a letter, then 12 digits (or 11 digits and a letter)",
                };
                let upn = upn.to_owned();
                row.error(UPN, &upn, format!("{why}; use UN1 to UN5 when the child has no UPN"));
            }
        }
        if let Some(c) = child {
            if let Some(first) = read.children.get(&c) {
                let first = first.line;
                row.error(CHILD, c.as_str(), format!("child {c} is listed twice (also on line {first})"));
            } else {
                read.children.insert(c, HeaderKey { line: row.line, dob });
            }
        }
        if let (Some(child), Some(sex), Some(dob), Some(ethnicity), true) =
            (child, sex, dob, ethnicity, row.errors.len() == before)
        {
            read.rows.push(HeaderRow { line: row.line, child, sex, dob, ethnicity });
        }
    });
    read
}

pub fn parse_header(text: &str) -> Result<Vec<HeaderRow>, Vec<RowError>> {
    let mut errors = Vec::new();
    let read = read_header(text, &mut errors);
    rows_unless_errors(read.rows, errors)
}

/// One care leaver's OC3 outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Row {
    pub line: usize,
    pub child: ChildId,
    pub dob: NaiveDate,
    pub in_touch: Code,
    pub activity: Code,
    pub accommodation: Code,
}

/// What the checks across rows and files need from an OC3 row.
#[derive(Debug, Clone, Copy)]
struct Oc3Key {
    line: usize,
    child: ChildId,
    dob: Option<NaiveDate>,
}

struct Oc3Read {
    rows: Vec<Oc3Row>,
    keys: Vec<Oc3Key>,
}

fn read_oc3(text: &str, errors: &mut Vec<RowError>) -> Oc3Read {
    const CHILD: usize = 0;
    const DOB: usize = 1;
    const IN_TOUCH_COL: usize = 2;
    const ACTIV: usize = 3;
    const ACCOM: usize = 4;
    let mut read = Oc3Read { rows: Vec::new(), keys: Vec::new() };
    let mut seen: ChildMap<usize> = ChildMap::default();
    read_rows(text, &OC3_COLUMNS, &OC3_COLUMNS, errors, |row| {
        let before = row.errors.len();
        let child = row.child(CHILD);
        let dob = row.date(DOB, true).flatten();
        let in_touch = row.code(IN_TOUCH_COL, &IN_TOUCH, true).flatten();
        let activity = row.code(ACTIV, &ACTIVITY, true).flatten();
        let accommodation = row.code(ACCOM, &ACCOMMODATION, true).flatten();
        if let (Some(touch), Some(activ), Some(accom)) = (in_touch, activity, accommodation) {
            let none = |c: Code| c.as_str() == "0";
            match touch.as_str() {
                "DIED" | "RHOM" => {
                    if !none(activ) {
                        row.error(ACTIV, activ.as_str(), format!("ACTIV must be 0 when IN_TOUCH is {touch}"));
                    }
                    if !none(accom) {
                        row.error(ACCOM, accom.as_str(), format!("ACCOM must be 0 when IN_TOUCH is {touch}"));
                    }
                }
                "YES" => {
                    if none(activ) {
                        row.error(
                            ACTIV,
                            "0",
                            "ACTIV must not be 0 when the young person is in touch (IN_TOUCH is YES)",
                        );
                    }
                    if none(accom) {
                        row.error(
                            ACCOM,
                            "0",
                            "ACCOM must not be 0 when the young person is in touch (IN_TOUCH is YES)",
                        );
                    }
                }
                _ => {}
            }
        }
        if let Some(c) = child {
            match seen.get(&c) {
                Some(first) => {
                    let first = *first;
                    row.error(CHILD, c.as_str(), format!("child {c} is listed twice (also on line {first})"));
                }
                None => {
                    seen.insert(c, row.line);
                    read.keys.push(Oc3Key { line: row.line, child: c, dob });
                }
            }
        }
        if let (Some(child), Some(dob), Some(in_touch), Some(activity), Some(accommodation), true) =
            (child, dob, in_touch, activity, accommodation, row.errors.len() == before)
        {
            read.rows.push(Oc3Row { line: row.line, child, dob, in_touch, activity, accommodation });
        }
    });
    read
}

pub fn parse_oc3(text: &str) -> Result<Vec<Oc3Row>, Vec<RowError>> {
    let mut errors = Vec::new();
    let read = read_oc3(text, &mut errors);
    rows_unless_errors(read.rows, errors)
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

/// Reads and checks the files of an import together, in one pass: each
/// row's fields, each child's sequence of episodes, and across files (every
/// episode's and outcome's child is in the header, dates of birth agree, no
/// episode starts before the child was born). Every problem is reported.
pub fn parse_import(header: &str, episodes: &str, oc3: Option<&str>) -> Result<Import903, Vec<ImportError>> {
    let mut header_errors = Vec::new();
    let mut episode_errors = Vec::new();
    let mut oc3_errors = Vec::new();
    let header = read_header(header, &mut header_errors);
    let episodes = read_episodes(episodes, &mut episode_errors);
    let outcomes = oc3.map(|text| read_oc3(text, &mut oc3_errors));

    let mut keys: Vec<EpisodeKey> = episodes.rows.iter().map(EpisodeRow::key).chain(episodes.partial).collect();
    check_episode_sequence(&mut keys, &mut episode_errors);
    // Sorted by child then start: each child's first episode comes first.
    let mut previous: Option<ChildId> = None;
    for key in &keys {
        let first_of_child = previous != Some(key.child);
        previous = Some(key.child);
        match header.children.get(&key.child) {
            None => episode_errors.push(RowError {
                line: key.line,
                column: "CHILD".into(),
                value: key.child.to_string(),
                reason: "this child is not in the header file".into(),
            }),
            Some(HeaderKey { line, dob: Some(dob) }) if first_of_child && *dob > key.start => {
                episode_errors.push(RowError {
                    line: key.line,
                    column: "DECOM".into(),
                    value: uk(key.start),
                    reason: format!(
                        "the episode starts before child {}'s date of birth ({}, header line {line})",
                        key.child,
                        uk(*dob)
                    ),
                })
            }
            Some(_) => {}
        }
    }
    for key in outcomes.iter().flat_map(|o| &o.keys) {
        match header.children.get(&key.child) {
            None => oc3_errors.push(RowError {
                line: key.line,
                column: "CHILD".into(),
                value: key.child.to_string(),
                reason: "this child is not in the header file".into(),
            }),
            Some(HeaderKey { dob: Some(h), line }) if key.dob.is_some_and(|d| d != *h) => oc3_errors.push(RowError {
                line: key.line,
                column: "DOB".into(),
                value: key.dob.map(uk).unwrap_or_default(),
                reason: format!("does not match the header file's date of birth ({}, line {line})", uk(*h)),
            }),
            Some(_) => {}
        }
    }

    let mut errors = Vec::new();
    for (file, found) in [("header", header_errors), ("episodes", episode_errors), ("oc3", oc3_errors)] {
        let mut found = found;
        found.sort_by_key(|e| e.line);
        errors.extend(found.into_iter().map(|error| ImportError { file, error }));
    }
    if errors.is_empty() {
        Ok(Import903 {
            children: header.rows,
            episodes: episodes.rows,
            outcomes: outcomes.map(|o| o.rows).unwrap_or_default(),
        })
    } else {
        Err(errors)
    }
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
        assert_eq!(rows[0].episode.urn.unwrap().as_str(), "SC400001");
        assert_eq!(rows[0].episode.placement, "K2");
    }

    #[test]
    fn tolerates_bom_crlf_blank_lines_extra_columns_and_any_order() {
        let text = "\u{feff}URN,EXTRA,PL_POST,HOME_POST,REASON_PLACE_CHANGE,REC,DEC,PLACE_PROVIDER,PLACE,CIN,LS,RNE,DECOM,CHILD\r\n\
                    SC400001,x,,,,,,PR1,K2,N1,C2,S,08/01/2024,DB9\r\n\r\n\r\n";
        let rows = parse_episodes(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].child.as_str(), "DB9");
        assert_eq!(rows[0].episode.placement, "K2");
    }

    /// The same two bad rows, with a blank line and a quoted line break
    /// between them, in every line-ending style with and without a BOM.
    #[test]
    fn lines_are_the_files_own_whatever_the_line_ends() {
        for bom in ["", "\u{feff}"] {
            for end in ["\n", "\r\n", "\r"] {
                // An extra NOTE column (allowed, and not read) carries the quoted line break.
                let text = format!(
                    "{bom}{HEAD},NOTE{end}DB1,31/02/2021,S,C2,N1,K2,PR1,,,,,,SC400001,{end}{end}DB2,01/03/2021,S,C2,N1,K2,PR1,,,,BL3 1AB,,SC400001,\"two{end}lines\"{end}DB3,01/03/2021,S,C9,N1,K2,PR1,,,,,,SC400001,{end}"
                );
                let errors = parse_episodes(&text).unwrap_err();
                let lines: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
                assert_eq!(lines, [(2, "DECOM"), (6, "LS")], "line ends {end:?}, BOM {bom:?}");
            }
        }
    }

    #[test]
    fn reports_every_bad_value_with_line_and_column() {
        let text = format!(
            "{HEAD}\nDB1,31/02/2021,S,C2,N1,K2,PR1,,,,,,SC400001\nDB2,01/03/2021,S,C9,N1,K2,PR1,01/02/2021,X1,,,,SC400001\nDB-1,01/03/2021,S,C2,N1,ZZ,,,E5,,,,\n"
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
        let text = format!("{HEAD}\nDB1,01/03/2021,S,c2,N1,K2,PR1,,,,,,SC400001\n");
        assert_eq!(parse_episodes(&text).unwrap_err()[0].column, "LS");
    }

    /// The one problem with two episode rows of child DB1.
    fn the_problem_with(first: &str, second: &str) -> RowError {
        let errors = parse_episodes(&format!("{HEAD}\nDB1,{first}\nDB1,{second}\n")).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn an_open_episode_must_be_the_last() {
        let e =
            the_problem_with("01/03/2021,S,C2,N1,K2,PR1,,,,,,SC400001", "01/06/2021,P,C2,N1,U6,PR4,01/09/2021,E5,,,,");
        assert_eq!((e.line, e.column.as_str()), (2, "DEC"));
        assert!(e.reason.contains("later episode starting on 01/06/2021 (line 3)"), "{}", e.reason);
    }

    #[test]
    fn episodes_must_not_overlap() {
        let e = the_problem_with(
            "01/03/2021,S,C2,N1,K2,PR1,01/07/2021,E4A,,,,SC400001",
            "01/06/2021,S,C2,N1,U6,PR4,01/09/2021,E5,,,,",
        );
        assert_eq!((e.line, e.column.as_str()), (3, "DECOM"));
        assert!(e.reason.contains("line 2 ends (01/07/2021)"), "{}", e.reason);
    }

    #[test]
    fn postcodes_and_urns_are_checked() {
        let long = "Z".repeat(1_000_000);
        let text = format!("{HEAD}\nDB1,01/03/2021,S,C2,N1,K2,PR1,,,,{long},BL1 4QR,SC4\n");
        let errors = parse_episodes(&text).unwrap_err();
        let found: Vec<(&str, usize)> = errors.iter().map(|e| (e.column.as_str(), e.value.len())).collect();
        assert_eq!(found, [("HOME_POST", 40), ("URN", 3)], "a megabyte is refused and not echoed back whole");
    }

    #[test]
    fn provider_urn_and_reason_for_change_follow_the_placement() {
        let text = format!(
            "{HEAD}\n\
             DB1,01/03/2021,S,C2,N1,K2,PR1,01/04/2021,X1,,,,\n\
             DB1,01/04/2021,P,C2,N1,R5,PR3,01/05/2021,X1,,,,SC400001\n\
             DB1,01/05/2021,P,C2,N1,T1,PR1,01/05/2021,X1,CARPL,,,\n\
             DB2,01/05/2021,S,C2,N1,K2,PR1,01/06/2021,X1,CARPL,,,XXXXXXX\n\
             DB2,01/06/2021,T,C2,N1,T2,,01/06/2021,X1,,,,\n\
             DB2,01/07/2021,P,C2,N1,K2,PR1,,,OTHER,,,SC400002\n"
        );
        let errors = parse_episodes(&text).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            found,
            [
                (2, "URN"),
                (3, "URN"),
                (4, "REASON_PLACE_CHANGE"),
                (4, "PLACE_PROVIDER"),
                (5, "REASON_PLACE_CHANGE"),
                (7, "REASON_PLACE_CHANGE"),
            ],
            "{errors:#?}"
        );
    }

    #[test]
    fn header_rows_are_checked_and_unique() {
        let text = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nDB1,1,10/06/2007,WBRI,,,\nDB1,3,10/06/2007,WBRI,,,\n";
        let errors = parse_header(text).unwrap_err();
        assert!(errors.iter().any(|e| e.line == 3 && e.column == "SEX"));
        assert!(errors.iter().any(|e| e.line == 3 && e.column == "CHILD" && e.reason.contains("listed twice")));
        let ok = parse_header("CHILD,SEX,DOB\nDB1,2,29/02/2008\nDB2,M,01/01/2008\nDB3,U,01/01/2008\n").unwrap();
        assert_eq!(ok.iter().map(|r| r.sex).collect::<Vec<_>>(), [Sex::Female, Sex::Male, Sex::Unknown]);
    }

    #[test]
    fn header_ethnicity_and_upn_are_checked() {
        let text = "CHILD,SEX,DOB,ETHNIC,UPN\nDB1,F,10/06/2007,WBRI,B801200005001\nDB2,F,10/06/2007,XXXX,UN3\nDB3,M,10/06/2007,REFU,C801200005001\nDB4,M,10/06/2007,NOBT,UN6\n";
        let errors = parse_header(text).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(3, "ETHNIC"), (4, "UPN"), (5, "UPN")], "{errors:#?}");
        assert!(errors[1].reason.contains("does not match"));
    }

    #[test]
    fn oc3_codes_are_checked() {
        let ok = parse_oc3("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,YES,F5,U1\n").unwrap();
        assert_eq!(ok[0].accommodation, "U1");
        let errors = parse_oc3("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,MAYBE,F9,S1\n").unwrap_err();
        let columns: Vec<_> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["IN_TOUCH", "ACTIV", "ACCOM"]);
    }

    #[test]
    fn oc3_activity_and_accommodation_follow_in_touch() {
        let text = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB1,10/06/2007,DIED,F5,0\nDB2,10/06/2007,YES,0,U1\nDB3,10/06/2007,NO,0,0\nDB1,10/06/2007,NO,0,0\n";
        let errors = parse_oc3(text).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(found, [(2, "ACTIV"), (3, "ACTIV"), (5, "CHILD")], "{errors:#?}");
        assert!(errors[2].reason.contains("listed twice (also on line 2)"));
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC\nDB1,1,10/06/2007,WBRI\nDB2,2,20/01/2009,WBRI\n";
    const EPISODES: &str =
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
        DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n\
        DB3,01/03/2021,S,C2,N1,K2,PR1,,,,,,SC400001\n\
        DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n";

    fn summary(errors: &[ImportError]) -> Vec<String> {
        errors.iter().map(|e| format!("{}:{}:{}", e.file, e.error.line, e.error.column)).collect()
    }

    #[test]
    fn cross_file_problems_are_all_reported() {
        let oc3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB2,21/01/2009,YES,F5,U1\nDB9,01/01/2008,YES,F5,U1\n";
        let errors = parse_import(HEADER, EPISODES, Some(oc3)).unwrap_err();
        assert_eq!(summary(&errors), ["episodes:3:CHILD", "episodes:4:DECOM", "oc3:2:DOB", "oc3:3:CHILD"]);
    }

    #[test]
    fn field_and_cross_row_problems_come_in_the_same_run() {
        // Line 2 has a bad legal status; line 4 repeats line 3's start; DB3 is not in the header.
        let episodes =
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
            DB1,01/03/2021,S,ZZ,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n\
            DB2,01/03/2021,S,C2,N1,K2,PR1,01/04/2021,E5,,,,SC400001\n\
            DB2,01/03/2021,S,C2,N9,K2,PR1,01/04/2021,E5,,,,SC400001\n\
            DB3,01/03/2021,S,C2,N1,K2,PR1,,,,,,SC400001\n";
        let header = "CHILD,SEX,DOB,ETHNIC\nDB1,7,10/06/2007,WBRI\nDB2,2,20/01/2009,WBRI\n";
        let oc3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nDB2,20/01/2009,YES,F5,U1\nDB2,20/01/2009,YES,F5,U1\n";
        let errors = parse_import(header, episodes, Some(oc3)).unwrap_err();
        assert_eq!(
            summary(&errors),
            ["header:2:SEX", "episodes:2:LS", "episodes:4:CIN", "episodes:4:DECOM", "episodes:5:CHILD", "oc3:3:CHILD"],
            "{errors:#?}"
        );
    }

    #[test]
    fn no_episode_starts_before_the_date_of_birth() {
        let header = "CHILD,SEX,DOB\nDB1,F,10/06/2021\n";
        let episodes =
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
            DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n";
        let errors = parse_import(header, episodes, None).unwrap_err();
        assert_eq!(summary(&errors), ["episodes:2:DECOM"]);
        assert!(errors[0].error.reason.contains("date of birth (10/06/2021, header line 2)"));
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
            DB1,01/03/2021,S,C2,N1,K2,PR1,01/10/2021,E5,,,,SC400001\n";
        let import = parse_import(HEADER, episodes, None).unwrap();
        assert_eq!(import.children.len(), 2);
        assert_eq!(import.episodes.len(), 1);
    }
}
