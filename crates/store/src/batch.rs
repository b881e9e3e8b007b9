//! Multi-row statements: far fewer round trips for imports and seeding.

/// Rows per statement for a table of `columns` columns on `conn`'s backend.
///
/// PostgreSQL takes up to 65,535 parameters and each statement is a round
/// trip, so statements carry about 2,000. SQLite is in-process, but sqlx
/// looks each `$N` parameter up by name and SQLite finds a name by walking
/// the statement's list of them, so binding costs grow with the square of
/// the parameters per statement: about 250 is fastest (docs/perf.md).
pub(crate) fn rows_per_statement(conn: &sqlx::AnyConnection, columns: usize) -> usize {
    let parameters = if conn.backend_name().eq_ignore_ascii_case("sqlite") { 250 } else { 2_000 };
    (parameters / columns).max(1)
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
    }
}
