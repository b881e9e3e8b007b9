//! Histories of periods (stays, EET activities): a young person's rows are
//! checked for overlaps one save at a time, and an open period is ended the
//! day before a new one starts (`staying_close_domain::periods::place`).

use crate::contacts::require_visible;
use crate::text::date;
use crate::young_people::{Viewer, YoungPersonId};
use crate::StoreError;
use chrono::NaiveDate;
use sqlx::AnyConnection;

/// The young person must be within the viewer's scope; their row is then
/// locked, so two saves of their history are checked one after the other.
pub(crate) async fn lock_history(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    person: YoungPersonId,
) -> Result<(), StoreError> {
    require_visible(conn, viewer, person).await?;
    sqlx::query("UPDATE young_people SET version = version WHERE la_id = $1 AND id = $2")
        .bind(viewer.la.0)
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends the period `id` of `table` on `end`, when placing a new one closes it.
pub(crate) async fn close_period(
    conn: &mut AnyConnection,
    table: &'static str,
    viewer: &Viewer,
    close: Option<(i64, NaiveDate)>,
) -> Result<(), StoreError> {
    if let Some((id, end)) = close {
        sqlx::query(&format!("UPDATE {table} SET ends_on = $3 WHERE la_id = $1 AND id = $2"))
            .bind(viewer.la.0)
            .bind(id)
            .bind(date(end))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
