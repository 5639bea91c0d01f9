//! Drift between two reports (`hipaa-audit diff OLD.json NEW.json`): failures that appeared,
//! went away, or remain.
//!
//! A graded resource is identified across reports by [`key`]: (check id, account, region,
//! resource id). It is *failing* when a finding with that key has status `fail`; `waived`,
//! `error` and every other status are not failing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Status};
use crate::report::Report;

/// A resource's identity across reports: (check id, account, region, resource id).
pub type Key<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The identity of the resource a finding grades.
pub fn key(f: &Finding) -> Key<'_> {
    (&f.check_id, &f.account, &f.region, &f.resource_id)
}

/// How many entries each list of a [`Drift`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftCounts {
    /// Length of [`Drift::new_failures`].
    pub new_failures: usize,
    /// Length of [`Drift::resolved`].
    pub resolved: usize,
    /// Length of [`Drift::still_failing`].
    pub still_failing: usize,
}

/// The difference between an older and a newer report, each list in report order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// List lengths, first so a reader of the JSON sees them before the lists.
    pub counts: DriftCounts,
    /// `fail` findings of the new report whose resource was not failing in the old one.
    pub new_failures: Vec<Finding>,
    /// Resources failing in the old report and not in the new one. Where the resource is still
    /// in the new report this holds its new findings, whose status says how it resolved (`pass`,
    /// `waived`, or `error` when it could no longer be read); where it disappeared, the old
    /// `fail` finding.
    pub resolved: Vec<Finding>,
    /// `fail` findings of the new report whose resource was failing in the old one too.
    pub still_failing: Vec<Finding>,
}

/// Compares two reports: what newly fails, what no longer fails, what still fails.
pub fn compare(old: &Report, new: &Report) -> Drift {
    let failing_old = failing_keys(&old.findings);
    let failing_new = failing_keys(&new.findings);
    let mut new_by_key: BTreeMap<Key<'_>, Vec<&Finding>> = BTreeMap::new();
    for finding in &new.findings {
        new_by_key.entry(key(finding)).or_default().push(finding);
    }

    let (still, fresh): (Vec<&Finding>, Vec<&Finding>) = new
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .partition(|f| failing_old.contains(&key(f)));

    let mut resolved: Vec<Finding> = Vec::new();
    let mut reported = BTreeSet::new();
    for finding in old.findings.iter().filter(|f| f.status == Status::Fail) {
        let k = key(finding);
        if failing_new.contains(&k) {
            continue;
        }
        match new_by_key.get(&k) {
            Some(now) => {
                if reported.insert(k) {
                    resolved.extend(now.iter().map(|f| (*f).clone()));
                }
            }
            None => resolved.push(finding.clone()),
        }
    }

    let new_failures = sorted(fresh.into_iter().cloned().collect());
    let resolved = sorted(resolved);
    let still_failing = sorted(still.into_iter().cloned().collect());
    Drift {
        counts: DriftCounts {
            new_failures: new_failures.len(),
            resolved: resolved.len(),
            still_failing: still_failing.len(),
        },
        new_failures,
        resolved,
        still_failing,
    }
}

fn failing_keys(findings: &[Finding]) -> BTreeSet<Key<'_>> {
    findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(key)
        .collect()
}

fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(Finding::report_order);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{BaaRule, Severity, WaiverRef};
    use crate::report::{ScanInfo, Summary, Tool, REPORT_SCHEMA_VERSION};

    fn finding(check: &str, severity: Severity, id: &str, status: Status) -> Finding {
        Finding {
            check_id: check.into(),
            status,
            severity,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            resource_type: "AWS::RDS::DBCluster".into(),
            resource_id: id.into(),
            resource_arn: None,
            message: format!("{id}: {status}"),
            hipaa: vec![],
            baa: BaaRule::Backup,
            evidence: serde_json::Value::Null,
            remediation: String::new(),
            waiver: None,
        }
    }

    fn report(mut findings: Vec<Finding>) -> Report {
        crate::finding::sort_findings(&mut findings);
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool {
                name: "hipaa-audit".into(),
                version: "0.1.0".into(),
            },
            scan: ScanInfo {
                id: "scan".into(),
                started_at: "2026-01-01T00:00:00Z".into(),
                finished_at: "2026-01-01T00:01:00Z".into(),
                accounts: vec!["111122223333".into()],
                regions: vec!["us-east-1".into()],
                eligible_services_as_of: "2026-01-01".into(),
            },
            summary: Summary::of(&findings),
            findings,
            collection_errors: vec![],
            waivers: vec![],
        }
    }

    const RETENTION: &str = "rds-cluster-backup-retention";
    const ENCRYPTED: &str = "rds-cluster-storage-encrypted";

    fn ids(findings: &[Finding]) -> Vec<(&str, &str, Status)> {
        findings
            .iter()
            .map(|f| (f.check_id.as_str(), f.resource_id.as_str(), f.status))
            .collect()
    }

    #[test]
    fn key_is_check_account_region_resource() {
        let f = finding(RETENTION, Severity::High, "analytics", Status::Fail);
        assert_eq!(
            key(&f),
            (RETENTION, "111122223333", "us-east-1", "analytics")
        );
    }

    #[test]
    fn new_resolved_and_still_failing() {
        let old = report(vec![
            finding(RETENTION, Severity::High, "fixed", Status::Fail),
            finding(RETENTION, Severity::High, "stuck", Status::Fail),
            finding(RETENTION, Severity::High, "deleted", Status::Fail),
            finding(RETENTION, Severity::High, "accepted", Status::Fail),
            finding(RETENTION, Severity::High, "broke", Status::Pass),
            finding(RETENTION, Severity::High, "blind", Status::Fail),
        ]);
        let mut accepted = finding(RETENTION, Severity::High, "accepted", Status::Waived);
        accepted.waiver = Some(WaiverRef {
            reason: "no PHI".into(),
            owner: "secops@example.com".into(),
            expires: "2027-03-31".into(),
        });
        let new = report(vec![
            finding(RETENTION, Severity::High, "fixed", Status::Pass),
            finding(RETENTION, Severity::High, "stuck", Status::Fail),
            accepted,
            finding(RETENTION, Severity::High, "broke", Status::Fail),
            finding(RETENTION, Severity::High, "blind", Status::Error),
            finding(ENCRYPTED, Severity::Critical, "created", Status::Fail),
        ]);
        let drift = compare(&old, &new);
        assert_eq!(
            ids(&drift.new_failures),
            [
                (ENCRYPTED, "created", Status::Fail),
                (RETENTION, "broke", Status::Fail)
            ]
        );
        assert_eq!(
            ids(&drift.resolved),
            [
                (RETENTION, "accepted", Status::Waived),
                (RETENTION, "blind", Status::Error),
                (RETENTION, "deleted", Status::Fail),
                (RETENTION, "fixed", Status::Pass),
            ]
        );
        assert_eq!(
            ids(&drift.still_failing),
            [(RETENTION, "stuck", Status::Fail)]
        );
        assert_eq!(
            drift.counts,
            DriftCounts {
                new_failures: 2,
                resolved: 4,
                still_failing: 1
            }
        );
        // The disappeared resource is the old finding; the others are the new ones.
        let deleted = drift.resolved.iter().find(|f| f.resource_id == "deleted");
        assert_eq!(deleted.map(|f| f.message.as_str()), Some("deleted: fail"));
        let accepted = drift.resolved.iter().find(|f| f.resource_id == "accepted");
        assert!(accepted.is_some_and(|f| f.waiver.is_some()));
    }

    #[test]
    fn a_failure_that_gets_waived_and_then_expires_is_new_again() {
        let old = report(vec![finding(
            RETENTION,
            Severity::High,
            "a",
            Status::Waived,
        )]);
        let new = report(vec![finding(RETENTION, Severity::High, "a", Status::Fail)]);
        let drift = compare(&old, &new);
        assert_eq!(ids(&drift.new_failures), [(RETENTION, "a", Status::Fail)]);
        assert!(drift.resolved.is_empty() && drift.still_failing.is_empty());
    }

    #[test]
    fn keys_distinguish_account_region_and_check() {
        let old = report(vec![finding(RETENTION, Severity::High, "a", Status::Fail)]);
        let mut other_region = finding(RETENTION, Severity::High, "a", Status::Fail);
        other_region.region = "eu-west-1".into();
        let mut other_account = finding(RETENTION, Severity::High, "a", Status::Fail);
        other_account.account = "999999999999".into();
        let new = report(vec![
            other_region,
            other_account,
            finding(ENCRYPTED, Severity::High, "a", Status::Fail),
        ]);
        let drift = compare(&old, &new);
        assert_eq!(drift.counts.new_failures, 3);
        assert_eq!(ids(&drift.resolved), [(RETENTION, "a", Status::Fail)]);
        assert_eq!(drift.counts.still_failing, 0);
    }

    #[test]
    fn severity_change_still_failing_uses_the_new_finding() {
        let old = report(vec![finding(RETENTION, Severity::Low, "a", Status::Fail)]);
        let new = report(vec![finding(RETENTION, Severity::High, "a", Status::Fail)]);
        let drift = compare(&old, &new);
        assert_eq!(drift.still_failing[0].severity, Severity::High);
        assert_eq!(drift.counts.new_failures + drift.counts.resolved, 0);
    }

    #[test]
    fn lists_are_in_report_order() {
        let new = report(vec![
            finding(RETENTION, Severity::Low, "b", Status::Fail),
            finding(RETENTION, Severity::Critical, "z", Status::Fail),
            finding(ENCRYPTED, Severity::Low, "a", Status::Fail),
        ]);
        let drift = compare(&report(vec![]), &new);
        let mut expected = drift.new_failures.clone();
        crate::finding::sort_findings(&mut expected);
        assert_eq!(drift.new_failures, expected);
        assert_eq!(drift.new_failures[0].resource_id, "z");
    }

    #[test]
    fn duplicate_keys_are_reported_once_per_finding() {
        let old = report(vec![
            finding(RETENTION, Severity::High, "a", Status::Fail),
            finding(RETENTION, Severity::Medium, "a", Status::Fail),
        ]);
        let new = report(vec![
            finding(RETENTION, Severity::High, "a", Status::Pass),
            finding(RETENTION, Severity::Medium, "a", Status::NotApplicable),
        ]);
        let drift = compare(&old, &new);
        assert_eq!(
            ids(&drift.resolved),
            [
                (RETENTION, "a", Status::Pass),
                (RETENTION, "a", Status::NotApplicable)
            ]
        );
    }

    #[test]
    fn identical_reports_have_only_still_failing() {
        let r = report(vec![
            finding(RETENTION, Severity::High, "a", Status::Fail),
            finding(RETENTION, Severity::High, "b", Status::Pass),
        ]);
        let drift = compare(&r, &r);
        assert_eq!(
            drift.counts,
            DriftCounts {
                new_failures: 0,
                resolved: 0,
                still_failing: 1
            }
        );
    }

    #[test]
    fn drift_serializes_counts_first_and_reads_back() {
        let old = report(vec![finding(RETENTION, Severity::High, "a", Status::Fail)]);
        let new = report(vec![finding(RETENTION, Severity::High, "b", Status::Fail)]);
        let drift = compare(&old, &new);
        let json = serde_json::to_value(&drift).expect("serializes");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["counts", "new_failures", "resolved", "still_failing"]
        );
        assert_eq!(
            json["counts"],
            serde_json::json!({"new_failures": 1, "resolved": 1, "still_failing": 0})
        );
        let back: Drift = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, drift);
    }

    #[test]
    fn compares_reports_read_back_from_json() {
        let old = report(vec![finding(RETENTION, Severity::High, "a", Status::Fail)]);
        let text = serde_json::to_string_pretty(&old).expect("serializes");
        let read: Report = serde_json::from_str(&text).expect("reads back");
        assert_eq!(compare(&read, &old).counts.still_failing, 1);
    }
}
