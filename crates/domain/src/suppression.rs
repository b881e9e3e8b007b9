//! Small-number suppression for published tables (the national roll-up).
//!
//! A table has one row per LA and one column per measure, and a total row.
//! The only exact relation between published cells is that each column's LA
//! cells add up to its total. The rule, written out in `docs/reporting.md`:
//!
//! 1. **Primary**: any count from 1 to [`LOW_MAX`] is shown as `low`.
//! 2. **Secondary**: if a column would then have exactly one hidden value
//!    among its cells and its total, the total minus the others would give
//!    it away, so one more is hidden: the smallest shown non-zero LA cell, or
//!    a zero cell if there is none, or the total if the column has no other
//!    cell. With two or more unknowns in its one equation, no hidden value
//!    can be worked out.

/// The largest count that is never shown.
pub const LOW_MAX: u64 = 5;

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Value(u64),
    /// From 1 to 5.
    Low,
    /// Hidden so that a `low` cell cannot be worked out from the others.
    Hidden,
}

impl Shown {
    pub fn value(self) -> Option<u64> {
        match self {
            Shown::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn words(self) -> String {
        match self {
            Shown::Value(v) => crate::words::thousands(v),
            Shown::Low => "low".into(),
            Shown::Hidden => "hidden".into(),
        }
    }
}

fn primary(value: u64) -> Shown {
    if (1..=LOW_MAX).contains(&value) {
        Shown::Low
    } else {
        Shown::Value(value)
    }
}

/// A table as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// `rows[r][c]`: LA `r`, measure `c`.
    pub rows: Vec<Vec<Shown>>,
    pub totals: Vec<Shown>,
}

/// Suppresses `rows` (LA by measure, all the same length).
pub fn suppress(rows: &[Vec<u64>]) -> Published {
    let columns = rows.first().map_or(0, Vec::len);
    let mut out =
        Published { rows: rows.iter().map(|r| r.iter().map(|v| primary(*v)).collect()).collect(), totals: Vec::new() };
    for c in 0..columns {
        let total: u64 = rows.iter().map(|r| r[c]).sum();
        let mut total_shown = primary(total);
        let hidden =
            out.rows.iter().filter(|r| r[c].value().is_none()).count() + usize::from(total_shown.value().is_none());
        if hidden == 1 {
            // The smallest shown LA cell, non-zero first.
            let candidate = (0..rows.len())
                .filter(|r| out.rows[*r][c].value().is_some())
                .min_by_key(|r| (rows[*r][c] == 0, rows[*r][c], *r));
            match candidate {
                Some(r) => out.rows[r][c] = Shown::Hidden,
                None => total_shown = Shown::Hidden,
            }
        }
        out.totals.push(total_shown);
    }
    out
}

/// A rate is published only when both of its counts are.
pub fn published_percent(numerator: Shown, denominator: Shown) -> Option<u32> {
    crate::report::percent(numerator.value()?, denominator.value()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_counts_show_as_low_and_one_more_cell_hides_them() {
        let p = suppress(&[vec![3, 40], vec![20, 50], vec![12, 0]]);
        assert_eq!(p.rows[0][0], Shown::Low);
        assert_eq!(p.rows[2][0], Shown::Hidden); // 12 is the smallest other cell
        assert_eq!(p.rows[1][0], Shown::Value(20));
        assert_eq!(p.totals[0], Shown::Value(35));
        assert_eq!(p.totals[1], Shown::Value(90));
        assert_eq!(p.rows[2][1], Shown::Value(0));
    }

    #[test]
    fn a_single_la_hides_its_total_too() {
        let p = suppress(&[vec![4, 9]]);
        assert_eq!(p.rows[0][0], Shown::Low);
        assert_eq!(p.totals[0], Shown::Low); // the total is 4 itself
        let p = suppress(&[vec![4], vec![0]]);
        assert_eq!(p.rows[1][0], Shown::Value(0)); // the total is low too, so two values are unknown
        assert_eq!(p.totals[0], Shown::Low);
        let p = suppress(&[vec![5, 0], vec![6, 0]]);
        assert_eq!(p.rows[1][0], Shown::Hidden);
        assert_eq!(p.totals[0], Shown::Value(11));
        assert_eq!(published_percent(p.rows[1][0], p.totals[0]), None);
        assert_eq!(published_percent(Shown::Value(61), Shown::Value(100)), Some(61));
    }

    /// Whether unknown `target` is fixed by the equations (each: the
    /// coefficients of the unknowns; the constant side does not matter):
    /// it is when the unit vector for it lies in their span.
    fn determined(equations: &[Vec<f64>], target: usize) -> bool {
        fn rank(mut m: Vec<Vec<f64>>) -> usize {
            let cols = m.first().map_or(0, Vec::len);
            let mut rank = 0;
            for c in 0..cols {
                let Some(p) = (rank..m.len()).find(|r| m[*r][c].abs() > 1e-9) else { continue };
                m.swap(rank, p);
                for r in 0..m.len() {
                    if r != rank && m[r][c].abs() > 1e-9 {
                        let f = m[r][c] / m[rank][c];
                        let pivot = m[rank].clone();
                        for (x, p) in m[r].iter_mut().zip(pivot) {
                            *x -= f * p;
                        }
                    }
                }
                rank += 1;
            }
            rank
        }
        let unknowns = equations.first().map_or(0, Vec::len);
        let mut with = equations.to_vec();
        let mut unit = vec![0.0; unknowns];
        unit[target] = 1.0;
        with.push(unit);
        rank(equations.to_vec()) == rank(with)
    }

    fn table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (1usize..8, 1usize..5).prop_flat_map(|(las, measures)| {
            proptest::collection::vec(
                proptest::collection::vec(prop_oneof![3 => 0u64..8, 2 => 0u64..60], measures..=measures),
                las..=las,
            )
        })
    }

    proptest! {
        /// From the published table, no hidden or low value can be worked
        /// out by adding and subtracting rows and totals.
        #[test]
        fn no_suppressed_value_can_be_recovered(rows in table()) {
            let p = suppress(&rows);
            let columns = rows[0].len();
            // Unknowns: every suppressed cell, LA cells and totals alike.
            let mut unknowns: Vec<(usize, Option<usize>)> = Vec::new(); // (column, Some(row) | None for the total)
            for c in 0..columns {
                for (r, row) in p.rows.iter().enumerate() {
                    if row[c].value().is_none() { unknowns.push((c, Some(r))); }
                }
                if p.totals[c].value().is_none() { unknowns.push((c, None)); }
            }
            // One equation per column: the LA cells minus the total is 0.
            let equations: Vec<Vec<f64>> = (0..columns)
                .map(|c| unknowns.iter().map(|(uc, r)| if *uc != c { 0.0 } else if r.is_some() { 1.0 } else { -1.0 }).collect())
                .collect();
            for (i, (c, r)) in unknowns.iter().enumerate() {
                prop_assert!(!determined(&equations, i), "column {c}, row {r:?} can be worked out: {rows:?} → {p:?}");
            }
        }

        /// Every count from 1 to 5 is hidden, every shown value is the true
        /// one, and the totals are the column sums.
        #[test]
        fn small_counts_never_show_and_shown_values_are_true(rows in table()) {
            let p = suppress(&rows);
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if (1..=LOW_MAX).contains(v) { prop_assert_eq!(p.rows[r][c], Shown::Low); }
                    if let Some(shown) = p.rows[r][c].value() { prop_assert_eq!(shown, *v); }
                }
            }
            for c in 0..rows[0].len() {
                let total: u64 = rows.iter().map(|r| r[c]).sum();
                if let Some(shown) = p.totals[c].value() { prop_assert_eq!(shown, total); }
                if (1..=LOW_MAX).contains(&total) { prop_assert!(p.totals[c].value().is_none()); }
            }
        }
    }
}
