//! Charts drawn on the server as SVG: no script runs in the browser. Each
//! has a title and a description screen readers announce, and the same
//! numbers as a table.

use crate::components::{Cell, Heading, Table};
use std::fmt::Write;

/// Colours from the GOV.UK palette, each at least 3:1 against white.
const COLOURS: [&str; 10] =
    ["#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#912b88", "#505a5f", "#003078", "#28a197", "#b58840", "#6f72af"];

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

/// A chart ready for a page: the SVG and the table with its numbers.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub svg: String,
    pub table: Table,
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn open(id: &str, title: &str, description: &str, height: f64) -> String {
    format!(
        "<svg class=\"app-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"inherit\" font-size=\"12\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(description)
    )
}

/// The y axis from 0 to `max` with 4 steps, and the x labels.
fn axes(svg: &mut String, max: f64, labels: &[String], unit: &str) {
    let plot = HEIGHT - BOTTOM - TOP;
    for step in 0..=4 {
        let value = max * f64::from(step) / 4.0;
        let y = TOP + plot - plot * f64::from(step) / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{WIDTH}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#0b0c0c\">{}{unit}</text>",
            LEFT - 6.0,
            y + 4.0,
            value.round()
        );
    }
    let slot = (WIDTH - LEFT) / labels.len().max(1) as f64;
    // At most six labels, so each has room.
    let every = labels.len().div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#0b0c0c\">{}</text>",
                LEFT + slot * (i as f64 + 0.5),
                HEIGHT - BOTTOM + 16.0,
                esc(label)
            );
        }
    }
}

/// A line of percentages, one point per label; a gap where it is unknown.
pub fn percent_line(id: &str, title: &str, description: &str, points: &[(String, Option<u32>, String)]) -> Chart {
    let mut svg = open(id, title, description, HEIGHT);
    let labels: Vec<String> = points.iter().map(|(l, _, _)| l.clone()).collect();
    axes(&mut svg, 100.0, &labels, "%");
    let plot = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / points.len().max(1) as f64;
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs = Vec::new();
    for (i, (_, value, _)) in points.iter().enumerate() {
        match value {
            Some(v) => run.push((LEFT + slot * (i as f64 + 0.5), TOP + plot - plot * f64::from(*v) / 100.0)),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let line: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\"/>",
            line.join(" "),
            COLOURS[0]
        );
        for (x, y) in run {
            let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"/>", COLOURS[0]);
        }
    }
    svg.push_str("</svg>");
    let mut table = Table::new(title, vec![Heading::new("Month"), Heading::numeric("Rate"), Heading::new("Counted")]);
    for (label, value, counted) in points {
        table.row(vec![
            Cell::text(label),
            Cell::number(value.map(|v| format!("{v}%")).unwrap_or_else(|| "Not known".into())),
            Cell::text(counted),
        ]);
    }
    Chart { id: id.into(), title: title.into(), description: description.into(), svg, table: table.with_row_headers() }
}

/// Bars stacked by series, one bar per label, with a key.
pub fn stacked_bars(
    id: &str,
    title: &str,
    description: &str,
    labels: &[String],
    series: &[(String, Vec<u64>)],
) -> Chart {
    let key_rows = series.len().div_ceil(2) as f64;
    let height = HEIGHT + key_rows * 20.0 + 8.0;
    let mut svg = open(id, title, description, height);
    let totals: Vec<u64> = (0..labels.len()).map(|i| series.iter().map(|(_, v)| v[i]).sum()).collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0));
    axes(&mut svg, max as f64, labels, "");
    let plot = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / labels.len().max(1) as f64;
    for i in 0..labels.len() {
        let mut base = TOP + plot;
        for (s, (_, values)) in series.iter().enumerate() {
            let h = plot * values[i] as f64 / max as f64;
            if h > 0.0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
                    LEFT + slot * i as f64 + slot * 0.15,
                    base - h,
                    slot * 0.7,
                    COLOURS[s % COLOURS.len()]
                );
                base -= h;
            }
        }
    }
    for (s, (name, _)) in series.iter().enumerate() {
        let x = LEFT + (s % 2) as f64 * 290.0;
        let y = HEIGHT + (s / 2) as f64 * 20.0 + 4.0;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#0b0c0c\">{}</text>",
            COLOURS[s % COLOURS.len()],
            x + 18.0,
            y + 11.0,
            esc(name)
        );
    }
    svg.push_str("</svg>");
    let mut headings = vec![Heading::new("Month")];
    headings.extend(series.iter().map(|(name, _)| Heading::numeric(name.clone())));
    headings.push(Heading::numeric("Total"));
    let mut table = Table::new(title, headings);
    for (i, label) in labels.iter().enumerate() {
        let mut row = vec![Cell::text(label)];
        row.extend(series.iter().map(|(_, v)| Cell::number(v[i])));
        row.push(Cell::number(totals[i]));
        table.row(row);
    }
    Chart { id: id.into(), title: title.into(), description: description.into(), svg, table: table.with_row_headers() }
}

/// Horizontal bars, one per item, each labelled with its value.
pub fn bars(id: &str, title: &str, description: &str, items: &[(String, u64)]) -> Chart {
    let row = 36.0;
    let height = items.len() as f64 * row + 16.0;
    let mut svg = open(id, title, description, height);
    let max = nice_max(items.iter().map(|(_, v)| *v).max().unwrap_or(0));
    let label_width = 260.0;
    let span = WIDTH - label_width - 60.0;
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 8.0 + i as f64 * row;
        let w = span * *value as f64 / max as f64;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#0b0c0c\">{}</text>\
             <rect x=\"{label_width}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"24\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#0b0c0c\" font-weight=\"bold\">{value}</text>",
            label_width - 8.0,
            y + 16.0,
            esc(label),
            COLOURS[i % COLOURS.len()],
            label_width + w + 6.0,
            y + 16.0
        );
    }
    svg.push_str("</svg>");
    let mut table = Table::new(title, vec![Heading::new("Outcome"), Heading::numeric("Number")]);
    for (label, value) in items {
        table.row(vec![Cell::text(label), Cell::number(value)]);
    }
    Chart { id: id.into(), title: title.into(), description: description.into(), svg, table: table.with_row_headers() }
}

/// A round number at or above `max` for the top of an axis (at least 4).
fn nice_max(max: u64) -> u64 {
    let max = max.max(4);
    let magnitude = 10u64.pow((max as f64).log10().floor() as u32);
    let step =
        [1, 2, 5, 10].into_iter().map(|m| m * magnitude / 2).find(|s| *s > 0 && s * 4 >= max / 2).unwrap_or(magnitude);
    max.div_ceil(step * 4).max(1) * step * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers_above_the_largest_value() {
        for max in [0, 3, 7, 10, 37, 99, 100, 586, 779, 12_345] {
            let top = nice_max(max);
            assert!(top >= max && top >= 4, "{max} → {top}");
            assert_eq!(top % 4, 0, "{max} → {top} splits into 4 whole steps");
        }
    }

    #[test]
    fn charts_carry_a_title_a_description_and_their_numbers_as_a_table() {
        let c = bars("housing", "Housing <outcomes>", "Three bars", &[("Moves".into(), 9), ("Returns".into(), 3)]);
        assert!(c.svg.contains("role=\"img\""));
        assert!(c.svg.contains("<title id=\"housing-title\">Housing &lt;outcomes&gt;</title>"));
        assert!(c.svg.contains("<desc id=\"housing-desc\">Three bars</desc>"));
        assert_eq!(c.table.rows.len(), 2);
        let line = percent_line(
            "eet",
            "EET",
            "Rate",
            &[("Apr".into(), Some(37), "10 of 27".into()), ("May".into(), None, String::new())],
        );
        assert_eq!(line.svg.matches("<circle").count(), 1);
        let stacked =
            stacked_bars("s", "S", "D", &["Apr".into()], &[("Visits".into(), vec![3]), ("Calls".into(), vec![2])]);
        assert_eq!(stacked.svg.matches("<rect").count(), 4); // two bars and two key squares
    }
}
