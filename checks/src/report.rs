//! The JSON report (schema_version 1), exactly as ../shared/spec/cli-and-report.md lays it out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity, Status};
use crate::snapshot::{Failure, Snapshot};

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
        }
    }
}
