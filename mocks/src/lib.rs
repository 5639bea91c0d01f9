//! hipaa-mocks: fixture AWS accounts, the moto launcher, the seeder that loads fixtures into moto
//! through the real AWS SDK, and a fault-injecting proxy for tests and benchmarks.
//!
//! Only loopback addresses are ever contacted.

#![warn(missing_docs)]

pub mod fault;
pub mod fixture;
pub mod moto;
pub mod seed;
pub mod seed_datastores;
pub mod seed_iam;
pub mod seed_logging;
pub mod seed_network;

pub use fixture::Account;
pub use moto::{MotoError, MotoServer};
