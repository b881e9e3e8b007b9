use crate::AppError;

/// Any path that matches no route.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
