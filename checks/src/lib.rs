//! hipaa-checks: the pure half of hipaa-audit.
//!
//! A [`snapshot::Snapshot`] of collected AWS evidence goes in; [`finding::Finding`]s come out.
//! Nothing here performs I/O or knows the AWS SDK: every check is a pure function in its own
//! module, registered in [`registry::ALL`], with its catalog entry and unit tests beside it.

#![warn(missing_docs)]

pub mod baa;
pub mod catalog;
pub mod compute;
pub mod config;
pub mod drift;
pub mod elb;
pub mod eligible;
pub mod finding;
pub mod iam;
pub mod logging;
pub mod network;
pub mod policy;
pub mod rds;
pub mod reference;
pub mod registry;
pub mod report;
pub mod snapshot;
#[cfg(test)]
pub(crate) mod testing;
pub mod waiver;

pub use catalog::{Check, CheckMeta, Context};
pub use config::Config;
pub use finding::{BaaRule, Finding, Severity, Status};
pub use report::Report;
pub use snapshot::{Failure, Snapshot, Source};
