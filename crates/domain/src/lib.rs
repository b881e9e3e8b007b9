//! Pure domain types and rules for Staying Close.
//!
//! Nothing in this crate performs I/O or is async: it turns values into values,
//! so every rule can be tested directly and reused by the store, the web layer
//! and the command line alike.

pub mod accommodation;
pub mod advocacy;
pub mod allocation;
pub mod allowance;
pub mod celebrations;
mod codes;
pub mod contact_months;
pub mod contacts;
pub mod dataset;
pub mod dates;
pub mod eet;
pub mod eligibility;
pub mod fields;
pub mod funding;
pub mod groups;
pub mod health;
pub mod ics;
pub mod identifiers;
pub mod journey;
pub mod la;
pub mod lets;
pub mod money;
pub mod oc3;
pub mod offer;
pub mod parents;
pub mod people;
pub mod periods;
pub mod permissions;
pub mod plan;
pub mod profile;
pub mod report;
pub mod roles;
pub mod ssda903;
pub mod ssda903_files;
pub mod statutory;
pub mod suppression;
pub mod totp;
pub mod trusted_person;
pub mod visits;
pub mod words;
