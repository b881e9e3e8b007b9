//! Downloads: any table as CSV or as an Excel workbook with typed cells.
//! CSV cells a spreadsheet would run as a formula are defused.

use crate::error::{ErrorKind, ErrorPage};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a download.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(i64),
    Date(NaiveDate),
    Pence(i64),
    /// A whole percentage (`61` is 61%).
    Percent(u32),
    Empty,
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    pub fn date(day: Option<NaiveDate>) -> Value {
        day.map(Value::Date).unwrap_or(Value::Empty)
    }

    fn csv(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => d.format("%d/%m/%Y").to_string(),
            Value::Pence(p) => format!("{}{}.{:02}", if *p < 0 { "-" } else { "" }, p.abs() / 100, p.abs() % 100),
            Value::Percent(p) => format!("{p}%"),
            Value::Empty => String::new(),
        }
    }
}

/// A table to download: a header row and rows of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The worksheet's name (at most 31 characters).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.chars().take(31).collect(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }
}

/// Quotes a CSV field, and defuses a value a spreadsheet would run as a
/// formula (one starting `=`, `+`, `-`, `@`, a tab or a carriage return)
/// by putting an apostrophe in front of it.
pub fn csv_field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// The sheet as CSV (UK dates, money in pounds).
pub fn csv(sheet: &Sheet) -> String {
    let mut out = sheet.headers.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in &sheet.rows {
        // Negative amounts are numbers, not formulas; only text is defused.
        let cells: Vec<String> = row
            .iter()
            .map(|v| match v {
                Value::Text(_) => csv_field(&v.csv()),
                other => format!("\"{}\"", other.csv()),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The sheets as an Excel workbook: a bold header row that stays in view,
/// dates as dates, money as pounds and rates as percentages.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("£#,##0.00");
    let rate = Format::new().set_num_format("0%");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    Value::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Value::Date(d) => {
                        let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                        ws.write_datetime_with_format(r, c, &when, &day)?;
                    }
                    Value::Pence(p) => {
                        ws.write_number_with_format(r, c, *p as f64 / 100.0, &money)?;
                    }
                    Value::Percent(p) => {
                        ws.write_number_with_format(r, c, f64::from(*p) / 100.0, &rate)?;
                    }
                    Value::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    book.save_to_buffer()
}

/// Which file a download asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn parse(text: &str) -> Option<FileFormat> {
        match text {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// A download refused because what was asked for cannot be read (422, the
/// message shown), so nothing wider or different is sent instead.
pub fn refused(message: &str) -> Response {
    ErrorPage { status: StatusCode::UNPROCESSABLE_ENTITY, kind: ErrorKind::Invalid, detail: Some(message.into()) }
        .into_response()
}

/// The refusal when `format` is neither `csv` nor `xlsx`.
pub const UNKNOWN_FORMAT: &str = "Choose CSV or Excel (format=csv or format=xlsx). Nothing was downloaded.";

/// The download response for `sheets` (CSV carries the first sheet).
pub fn download(format: FileFormat, file_stem: &str, sheets: &[Sheet]) -> Response {
    let disposition = format!("attachment; filename=\"{file_stem}.{}\"", format.code());
    match format {
        FileFormat::Csv => {
            let body = sheets.first().map(csv).unwrap_or_default();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        FileFormat::Xlsx => match xlsx(sheets) {
            Ok(bytes) => (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => {
                tracing::error!(error = %e, "could not build a workbook");
                ErrorPage::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::ServerError).into_response()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_defuses_formulas_and_quotes_fields() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        for bad in ["=cmd()", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_field(bad).starts_with("\"'"), "{bad:?}");
        }
        let mut sheet = Sheet::new("Test", &["Name", "Day", "Spent", "Rate"]);
        sheet.rows.push(vec![
            Value::text("=HYPERLINK(\"x\")"),
            Value::Date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            Value::Pence(-1250),
            Value::Percent(61),
        ]);
        assert_eq!(
            csv(&sheet),
            "\"Name\",\"Day\",\"Spent\",\"Rate\"\r\n\"'=HYPERLINK(\"\"x\"\")\",\"31/03/2026\",\"-12.50\",\"61%\"\r\n"
        );
    }

    #[test]
    fn a_workbook_is_a_zip_with_a_worksheet() {
        let mut sheet = Sheet::new("Figures", &["Measure", "Figure"]);
        sheet.rows.push(vec![Value::text("Young people"), Value::Number(45)]);
        let bytes = xlsx(&[sheet]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
