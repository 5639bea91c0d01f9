//! End-to-end tests: the real `hipaa-audit` binary against a moto_server seeded from mocks/.
//! One test binary (every extra one links another copy of the SDK).

mod baa;
mod catalog;
mod errors;
mod harness;
mod reports;
mod scan;
