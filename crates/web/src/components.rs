//! The data behind the GOV.UK components that pages fill from Rust: tables,
//! summary lists, radios and selects. Each is drawn by one macro in
//! `templates/govuk.html`, as govuk-frontend's own Nunjucks macros draw
//! theirs from parameters, so their markup is written once.

/// One piece of a table cell or summary-list value, drawn in order.
#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    /// A link, with words only screen readers hear after it (for unique link text).
    Link {
        text: String,
        href: String,
        hidden: String,
    },
    /// A GOV.UK tag; `colour` is `green`, `grey`, `red`, `yellow` or `blue`.
    Tag {
        text: String,
        colour: &'static str,
    },
    /// Code-like text, such as a token's first characters.
    Code(String),
    /// A line break between items listed in one cell.
    Break,
    /// A one-button form that posts with the page's CSRF token.
    Button {
        action: String,
        label: &'static str,
        hidden: String,
        csrf_token: String,
    },
}

impl Part {
    pub fn text(text: impl Into<String>) -> Part {
        Part::Text(text.into())
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Part {
        Part::Link { text: text.into(), href: href.into(), hidden: String::new() }
    }

    pub fn tag(text: impl Into<String>, colour: &'static str) -> Part {
        Part::Tag { text: text.into(), colour }
    }

    /// The words a reader sees (for downloads of a table).
    pub fn words(&self) -> &str {
        match self {
            Part::Text(t) | Part::Code(t) => t,
            Part::Link { text, .. } | Part::Tag { text, .. } => text,
            Part::Break => " ",
            Part::Button { label, .. } => label,
        }
    }
}

/// A table cell: its parts, and whether it holds a number (right-aligned).
#[derive(Debug, Clone)]
pub struct Cell {
    pub parts: Vec<Part>,
    pub numeric: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { parts: vec![Part::text(text)], numeric: false }
    }

    pub fn number(value: impl ToString) -> Cell {
        Cell { parts: vec![Part::Text(value.to_string())], numeric: true }
    }

    pub fn parts(parts: Vec<Part>) -> Cell {
        Cell { parts, numeric: false }
    }

    pub fn empty() -> Cell {
        Cell { parts: Vec::new(), numeric: false }
    }
}

impl From<Part> for Cell {
    fn from(part: Part) -> Cell {
        Cell::parts(vec![part])
    }
}

/// A column heading; sortable columns carry their link and `aria-sort`.
#[derive(Debug, Clone)]
pub struct Heading {
    pub label: String,
    /// Heard but not seen (for an action column with no visible heading).
    pub hidden: bool,
    pub numeric: bool,
    /// `ascending`, `descending` or `none` for a sortable column.
    pub aria_sort: Option<&'static str>,
    pub href: Option<String>,
}

impl Heading {
    pub fn new(label: impl Into<String>) -> Heading {
        Heading { label: label.into(), hidden: false, numeric: false, aria_sort: None, href: None }
    }

    pub fn numeric(label: impl Into<String>) -> Heading {
        Heading { numeric: true, ..Heading::new(label) }
    }

    pub fn hidden(label: impl Into<String>) -> Heading {
        Heading { hidden: true, ..Heading::new(label) }
    }

    pub fn sortable(label: impl Into<String>, aria_sort: &'static str, href: String) -> Heading {
        Heading { aria_sort: Some(aria_sort), href: Some(href), ..Heading::new(label) }
    }
}

/// A GOV.UK table. With `first_cell_is_header`, each row's first cell is
/// its row heading (`<th scope="row">`).
#[derive(Debug, Clone)]
pub struct Table {
    pub caption: String,
    /// Captions are always there for screen readers; shown when true.
    pub caption_visible: bool,
    pub headings: Vec<Heading>,
    pub rows: Vec<Vec<Cell>>,
    pub first_cell_is_header: bool,
}

impl Table {
    pub fn new(caption: impl Into<String>, headings: Vec<Heading>) -> Table {
        Table {
            caption: caption.into(),
            caption_visible: false,
            headings,
            rows: Vec::new(),
            first_cell_is_header: false,
        }
    }

    pub fn with_visible_caption(mut self) -> Table {
        self.caption_visible = true;
        self
    }

    pub fn with_row_headers(mut self) -> Table {
        self.first_cell_is_header = true;
        self
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One row of a GOV.UK summary list.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub key: String,
    pub value: Vec<Part>,
}

impl SummaryRow {
    pub fn text(key: impl Into<String>, value: impl Into<String>) -> SummaryRow {
        SummaryRow { key: key.into(), value: vec![Part::text(value)] }
    }

    pub fn parts(key: impl Into<String>, value: Vec<Part>) -> SummaryRow {
        SummaryRow { key: key.into(), value }
    }
}

/// A choice in a set of radios or checkboxes, or a select: value, label
/// and whether it is chosen now.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Choices from (value, label) pairs, with `selected` chosen.
pub fn choices<V: AsRef<str>, L: AsRef<str>>(pairs: impl IntoIterator<Item = (V, L)>, selected: &str) -> Vec<Choice> {
    pairs
        .into_iter()
        .map(|(value, label)| Choice {
            checked: value.as_ref() == selected,
            value: value.as_ref().to_owned(),
            label: label.as_ref().to_owned(),
        })
        .collect()
}

/// The id of a radio or checkbox: the field's name for the first (so the
/// error summary's link lands on it), `name-value` for the others.
pub fn choice_id(name: &str, index: usize, value: &str) -> String {
    if index == 0 {
        name.to_owned()
    } else {
        format!("{name}-{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_choice_is_checked() {
        let list = choices([("a", "A"), ("b", "B")], "b");
        assert_eq!(list.iter().map(|c| c.checked).collect::<Vec<_>>(), [false, true]);
    }

    #[test]
    fn the_first_choice_takes_the_fields_id() {
        assert_eq!(choice_id("show", 0, "all"), "show");
        assert_eq!(choice_id("show", 1, "eligible"), "show-eligible");
    }
}
