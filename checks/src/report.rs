//! The JSON report (schema_version 1), exactly as ../shared/spec/cli-and-report.md lays it out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{sort_findings, Finding, Severity, Status};
use crate::snapshot::{Failure, Snapshot};
use crate::waiver::{self, Waiver, WaiverStatus};

/// Version of the report format.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Which tool wrote it.
    pub tool: Tool,
    /// What was scanned, when.
    pub scan: ScanInfo,
    /// Counts by status and by severity of failures.
    pub summary: Summary,
    /// Findings in report order.
    pub findings: Vec<Finding>,
    /// Every API call that produced no evidence.
    pub collection_errors: Vec<CollectionError>,
    /// Every waiver of the `--waivers` file and what became of it, in file order (empty
    /// without one; absent in reports written before waivers existed).
    #[serde(default)]
    pub waivers: Vec<WaiverStatus>,
}

/// Tool name and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `hipaa-audit`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// Scan metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanInfo {
    /// Stable id of the collection: account and start time.
    pub id: String,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339.
    pub finished_at: String,
    /// Accounts scanned.
    pub accounts: Vec<String>,
    /// Regions scanned.
    pub regions: Vec<String>,
    /// Date of the HIPAA-eligible services list used.
    pub eligible_services_as_of: String,
}

/// Counts by status, and failing findings by severity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Passing findings.
    pub pass: usize,
    /// Failing findings.
    pub fail: usize,
    /// Findings that need a person.
    pub manual: usize,
    /// Findings whose evidence could not be collected.
    pub error: usize,
    /// Findings that do not apply.
    pub not_applicable: usize,
    /// Waived failures.
    pub waived: usize,
    /// `fail` findings by severity.
    pub by_severity: BTreeMap<Severity, usize>,
}

/// One failed API call, in the report's spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionError {
    /// Service.
    pub service: String,
    /// Operation.
    pub operation: String,
    /// Region.
    pub region: String,
    /// AWS error code or transport class.
    pub error_code: String,
    /// Detail.
    pub message: String,
}

impl From<&Failure> for CollectionError {
    fn from(f: &Failure) -> Self {
        CollectionError {
            service: f.service.clone(),
            operation: f.operation.clone(),
            region: f.region.clone(),
            error_code: f.code.clone(),
            message: f.message.clone(),
        }
    }
}

impl Summary {
    /// Counts findings.
    pub fn of(findings: &[Finding]) -> Summary {
        let mut summary = Summary {
            by_severity: Severity::ALL.iter().map(|s| (*s, 0)).collect(),
            ..Summary::default()
        };
        for finding in findings {
            let slot = match finding.status {
                Status::Pass => &mut summary.pass,
                Status::Fail => &mut summary.fail,
                Status::Manual => &mut summary.manual,
                Status::Error => &mut summary.error,
                Status::NotApplicable => &mut summary.not_applicable,
                Status::Waived => &mut summary.waived,
            };
            *slot += 1;
            if finding.status == Status::Fail {
                *summary.by_severity.entry(finding.severity).or_default() += 1;
            }
        }
        summary
    }

    /// The count for one status.
    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Manual => self.manual,
            Status::Error => self.error,
            Status::NotApplicable => self.not_applicable,
            Status::Waived => self.waived,
        }
    }
}

impl Report {
    /// Builds the report for graded findings of a snapshot.
    /// `eligible_as_of` is the date of the eligible-services list the grade used.
    pub fn new(
        snapshot: &Snapshot,
        findings: Vec<Finding>,
        tool_version: &str,
        eligible_as_of: &str,
    ) -> Report {
        let started = snapshot.started_at;
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool {
                name: "hipaa-audit".to_owned(),
                version: tool_version.to_owned(),
            },
            scan: ScanInfo {
                id: format!(
                    "{}-{}",
                    snapshot.account_id,
                    started.strftime("%Y%m%dT%H%M%SZ")
                ),
                started_at: started.to_string(),
                finished_at: snapshot.finished_at.to_string(),
                accounts: vec![snapshot.account_id.clone()],
                regions: snapshot.regions.keys().cloned().collect(),
                eligible_services_as_of: eligible_as_of.to_owned(),
            },
            summary: Summary::of(&findings),
            findings,
            collection_errors: snapshot
                .failures()
                .iter()
                .map(CollectionError::from)
                .collect(),
            waivers: Vec::new(),
        }
    }

    /// Records the waivers' outcomes, then re-sorts the findings and recounts the summary
    /// (call it after [`waiver::apply`] changed the findings, or use [`Report::apply_waivers`]).
    pub fn with_waivers(mut self, waivers: Vec<WaiverStatus>) -> Report {
        self.waivers = waivers;
        sort_findings(&mut self.findings);
        self.summary = Summary::of(&self.findings);
        self
    }

    /// One report over several accounts (`--role-arn`), plus the accounts that could not be
    /// reached as collection errors. `None` when there is no part at all.
    pub fn merge(parts: Vec<Report>, unreachable: &[Failure]) -> Option<Report> {
        let mut parts = parts.into_iter();
        let mut merged = parts.next()?;
        for part in parts {
            merged.scan.accounts.extend(part.scan.accounts);
            merged.scan.regions.extend(part.scan.regions);
            if part.scan.started_at < merged.scan.started_at {
                merged.scan.started_at = part.scan.started_at;
            }
            if part.scan.finished_at > merged.scan.finished_at {
                merged.scan.finished_at = part.scan.finished_at;
            }
            merged.findings.extend(part.findings);
            merged.collection_errors.extend(part.collection_errors);
        }
        merged
            .collection_errors
            .extend(unreachable.iter().map(CollectionError::from));
        merged.scan.accounts.sort();
        merged.scan.accounts.dedup();
        merged.scan.regions.sort();
        merged.scan.regions.dedup();
        if merged.scan.accounts.len() > 1 {
            merged.scan.id = format!("{}-accounts-{}", merged.scan.accounts.len(), merged.scan.id);
        }
        merged.collection_errors.sort_by(|a, b| {
            (
                &a.service,
                &a.operation,
                &a.region,
                &a.error_code,
                &a.message,
            )
                .cmp(&(
                    &b.service,
                    &b.operation,
                    &b.region,
                    &b.error_code,
                    &b.message,
                ))
        });
        merged.collection_errors.dedup();
        sort_findings(&mut merged.findings);
        merged.summary = Summary::of(&merged.findings);
        Some(merged)
    }

    /// Applies the waivers to this report's findings as of `today` and records their outcomes.
    pub fn apply_waivers(mut self, waivers: &[Waiver], today: jiff::civil::Date) -> Report {
        let statuses = waiver::apply(&mut self.findings, waivers, today);
        self.with_waivers(statuses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{BaaRule, WaiverRef};
    use crate::snapshot::{GlobalSnapshot, RegionSnapshot, Source, SNAPSHOT_SCHEMA_VERSION};
    use crate::waiver::WaiverState;

    const ACCOUNT: &str = "111122223333";

    fn finding(check: &str, status: Status, severity: Severity, id: &str) -> Finding {
        Finding {
            check_id: check.into(),
            status,
            severity,
            account: ACCOUNT.into(),
            region: "us-east-1".into(),
            resource_type: "AWS::RDS::DBCluster".into(),
            resource_id: id.into(),
            resource_arn: Some(format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{id}")),
            message: format!("{id} is graded {status}."),
            hipaa: vec!["164.308(a)(7)(ii)(A)".into()],
            baa: BaaRule::Backup,
            evidence: serde_json::json!({"BackupRetentionPeriod": 7, "z": [1, 2], "a": null}),
            remediation: "Raise the retention.".into(),
            waiver: None,
        }
    }

    fn snapshot() -> Snapshot {
        let global = GlobalSnapshot {
            service_control_policies: Source::Failed(Failure::new(
                "organizations",
                "ListPolicies",
                "us-east-1",
                "AccessDenied",
                "not authorized",
            )),
            ..GlobalSnapshot::default()
        };
        Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            tool_version: "0.1.0".into(),
            account_id: ACCOUNT.into(),
            partition: "aws".into(),
            started_at: "2026-01-02T03:04:05Z".parse().expect("timestamp"),
            finished_at: "2026-01-02T03:05:00Z".parse().expect("timestamp"),
            api_calls: 12,
            regions: [("us-east-1".to_owned(), RegionSnapshot::default())].into(),
            global,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report::new(&snapshot(), findings, "0.1.0", "2026-01-01")
    }

    #[test]
    fn summary_counts_every_status_and_only_failures_by_severity() {
        let findings: Vec<Finding> = Status::ALL
            .iter()
            .map(|s| {
                finding(
                    "rds-cluster-backup-retention",
                    *s,
                    Severity::High,
                    s.as_str(),
                )
            })
            .collect();
        let summary = Summary::of(&findings);
        for status in Status::ALL {
            assert_eq!(summary.count(status), 1, "{status}");
        }
        assert_eq!(
            summary.by_severity[&Severity::High],
            1,
            "waived is not a failure"
        );
        assert_eq!(summary.by_severity.len(), Severity::ALL.len());
    }

    #[test]
    fn new_report_has_empty_waivers_and_json_lists_them_last() {
        let report = report(vec![]);
        assert!(report.waivers.is_empty());
        let json = serde_json::to_value(&report).expect("serializes");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "schema_version",
                "tool",
                "scan",
                "summary",
                "findings",
                "collection_errors",
                "waivers"
            ]
        );
        assert_eq!(json["waivers"], serde_json::json!([]));
    }

    #[test]
    fn applying_waivers_recounts_the_summary() {
        let findings = vec![
            finding(
                "rds-cluster-backup-retention",
                Status::Fail,
                Severity::High,
                "analytics",
            ),
            finding(
                "rds-cluster-backup-retention",
                Status::Fail,
                Severity::High,
                "billing",
            ),
            finding(
                "rds-cluster-backup-retention",
                Status::Pass,
                Severity::High,
                "orders",
            ),
        ];
        let report = report(findings);
        assert_eq!((report.summary.fail, report.summary.waived), (2, 0));
        let waivers = crate::waiver::parse(
            "[[waiver]]\ncheck = \"rds-cluster-backup-retention\"\nresource = \"analytics\"\n\
             reason = \"No PHI\"\nowner = \"secops@example.com\"\nexpires = \"2027-03-31\"\n",
        )
        .expect("parses");
        let today = jiff::civil::date(2026, 6, 1);
        let report = report.apply_waivers(&waivers, today);
        assert_eq!(report.summary.fail, 1);
        assert_eq!(report.summary.waived, 1);
        assert_eq!(report.summary.pass, 1);
        assert_eq!(report.summary.by_severity[&Severity::High], 1);
        assert_eq!(report.waivers.len(), 1);
        assert_eq!(report.waivers[0].state, WaiverState::Applied);
        let waived = report
            .findings
            .iter()
            .find(|f| f.resource_id == "analytics")
            .expect("analytics");
        assert_eq!(waived.status, Status::Waived);
        assert_eq!(
            waived.waiver,
            Some(WaiverRef {
                reason: "No PHI".into(),
                owner: "secops@example.com".into(),
                expires: "2027-03-31".into(),
            })
        );
    }

    #[test]
    fn with_waivers_recounts_findings_changed_before_it() {
        let mut report = report(vec![finding(
            "rds-cluster-backup-retention",
            Status::Fail,
            Severity::Critical,
            "analytics",
        )]);
        report.findings[0].status = Status::Waived;
        let report = report.with_waivers(Vec::new());
        assert_eq!((report.summary.fail, report.summary.waived), (0, 1));
        assert_eq!(report.summary.by_severity[&Severity::Critical], 0);
    }

    #[test]
    fn report_json_round_trips() {
        let mut findings = vec![
            finding(
                "rds-cluster-backup-retention",
                Status::Fail,
                Severity::High,
                "analytics",
            ),
            finding(
                "rds-cluster-storage-encrypted",
                Status::Error,
                Severity::Critical,
                "orders",
            ),
            finding(
                "rds-cluster-backup-retention",
                Status::NotApplicable,
                Severity::High,
                "x",
            ),
        ];
        findings[2].resource_arn = None;
        sort_findings(&mut findings);
        let waivers = crate::waiver::parse(
            "[[waiver]]\ncheck = \"rds-cluster-backup-retention\"\nresource = \"arn:aws:rds:*:cluster:analytics\"\n\
             reason = \"No PHI\"\nowner = \"secops@example.com\"\nexpires = \"2027-03-31\"\n\
             [[waiver]]\ncheck = \"rds-cluster-iam-auth\"\nresource = \"*\"\n\
             reason = \"Legacy\"\nowner = \"dba@example.com\"\nexpires = 2025-01-01\n",
        )
        .expect("parses");
        let report = report(findings).apply_waivers(&waivers, jiff::civil::date(2026, 6, 1));
        assert_eq!(report.collection_errors.len(), 1);
        assert_eq!(report.waivers[1].state, WaiverState::Expired);

        let text = serde_json::to_string_pretty(&report).expect("serializes");
        let back: Report = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, report);
        assert_eq!(
            serde_json::to_string_pretty(&back).expect("serializes"),
            text
        );
    }

    #[test]
    fn report_without_waivers_field_still_reads() {
        let mut json = serde_json::to_value(report(vec![])).expect("serializes");
        json.as_object_mut().expect("object").remove("waivers");
        let back: Report = serde_json::from_value(json).expect("reads");
        assert!(back.waivers.is_empty());
    }
}
