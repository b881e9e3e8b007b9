//! Multi-row statements: far fewer round trips for imports and seeding.

/// Rows per statement for a table of `columns` columns, keeping well under
/// the bind-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (2_000 / columns).max(1)
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` columns.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(r * columns + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_placeholders_across_rows() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::rows_per_statement(15), 133);
    }
}
