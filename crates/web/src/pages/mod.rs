pub mod errors;
pub mod health;
pub mod start;
