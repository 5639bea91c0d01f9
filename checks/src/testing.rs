//! Test helpers shared by every check family's fixtures: building a snapshot, running a check,
//! and picking findings out of the result.

use jiff::Timestamp;

use crate::catalog::{Check, Context};
use crate::config::Config;
use crate::finding::{Finding, Status};
use crate::snapshot::{GlobalSnapshot, RegionSnapshot, Snapshot, SNAPSHOT_SCHEMA_VERSION};

/// The account id of every test snapshot.
pub const ACCOUNT: &str = "111122223333";

/// A snapshot of the given regions (name, evidence) and global evidence.
pub fn snapshot_of(regions: Vec<(&str, RegionSnapshot)>, global: GlobalSnapshot) -> Snapshot {
    let at: Timestamp = "2026-11-25T12:00:00Z".parse().expect("valid timestamp");
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: "test".into(),
        account_id: ACCOUNT.into(),
        partition: "aws".into(),
        started_at: at,
        finished_at: at,
        api_calls: 0,
        regions: regions
            .into_iter()
            .map(|(n, r)| (n.to_owned(), r))
            .collect(),
        global,
    }
}

/// Runs one check over a whole snapshot with a given config.
pub fn evaluate_snapshot(check: &Check, snapshot: &Snapshot, config: &Config) -> Vec<Finding> {
    let ctx = Context {
        eligible: crate::eligible::EligibleServices::embedded(),
        snapshot,
        config,
        now: "2026-11-25T12:00:00Z".parse().expect("valid timestamp"),
    };
    (check.run)(&ctx)
}

/// The status of the finding for `resource_id`; panics (failing the test) when absent.
pub fn status_of(findings: &[Finding], resource_id: &str) -> Status {
    finding_for(findings, resource_id).status
}

/// The finding for `resource_id`; panics (failing the test) when absent.
pub fn finding_for<'f>(findings: &'f [Finding], resource_id: &str) -> &'f Finding {
    findings
        .iter()
        .find(|f| f.resource_id == resource_id)
        .unwrap_or_else(|| panic!("no finding for {resource_id}: {findings:#?}"))
}

/// The only finding; panics (failing the test) when there is not exactly one.
pub fn only_finding(findings: Vec<Finding>) -> Finding {
    assert_eq!(findings.len(), 1, "expected one finding: {findings:#?}");
    findings.into_iter().next().expect("one finding")
}
