//! The catalog: what every check is (metadata) and how findings are built from a verdict.
//!
//! Each check lives in its own module (`rds/rds_cluster_storage_encrypted.rs` for
//! `rds-cluster-storage-encrypted`) and exports one [`Check`]: its [`CheckMeta`] beside the pure
//! function that grades a snapshot. [`crate::registry::ALL`] lists them in one place.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::eligible::EligibleServices;
use crate::finding::{BaaRule, Finding, Severity, Status};
use crate::snapshot::{Failure, Snapshot};

/// How to fix a failing resource, for the report and `explain`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Remediation {
    /// One line for the report's `remediation` field.
    pub summary: &'static str,
    /// Console steps.
    pub console: &'static str,
    /// AWS CLI command(s); `<id>` marks the resource to substitute.
    pub cli: &'static str,
    /// CloudFormation property or resource to set.
    pub cloudformation: &'static str,
}

/// Everything a person needs to know about a check, without running it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckMeta {
    /// Stable kebab-case id; the module is the same name in snake_case.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// Default severity of a failure.
    pub severity: Severity,
    /// 45 CFR 164 citations.
    pub hipaa: &'static [&'static str],
    /// The BAA rule it serves.
    pub baa: BaaRule,
    /// Resource types it grades.
    pub resource_types: &'static [&'static str],
    /// What it requires and why, in a few sentences.
    pub requirement: &'static str,
    /// The API calls whose answers it reads.
    pub evidence: &'static [&'static str],
    /// How to fix it.
    pub remediation: Remediation,
    /// Source documents (`seed 001`).
    pub seeds: &'static [&'static str],
    /// Where the check and its tests live (`file!()` of its module).
    pub source_file: &'static str,
}

/// Inputs every check receives.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The collected evidence.
    pub snapshot: &'a Snapshot,
    /// Thresholds from the config file.
    pub config: &'a Config,
    /// The time the grade is for (dates such as certificate expiry compare against it).
    pub now: Timestamp,
    /// The HIPAA-eligible services list in force (embedded, or `--eligible-services FILE`).
    pub eligible: &'a EligibleServices,
}

/// A check: its metadata and the pure function that grades a snapshot.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Catalog entry.
    pub meta: CheckMeta,
    /// Grades the snapshot; one finding per resource.
    pub run: fn(&Context) -> Vec<Finding>,
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// CloudFormation-style type.
    pub resource_type: String,
    /// Identifier.
    pub id: String,
    /// ARN, when known.
    pub arn: Option<String>,
}

impl Resource {
    /// A resource with an ARN.
    pub fn new(resource_type: &str, id: &str, arn: &str) -> Self {
        Resource {
            resource_type: resource_type.to_owned(),
            id: id.to_owned(),
            arn: (!arn.is_empty()).then(|| arn.to_owned()),
        }
    }

    /// The region itself, for region-level findings and failures to list resources.
    pub fn region(region: &str) -> Self {
        Resource {
            resource_type: "AWS::::Region".to_owned(),
            id: region.to_owned(),
            arn: None,
        }
    }
}

/// What a check decided about one resource, before it becomes a [`Finding`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Outcome.
    pub status: Status,
    /// One actionable sentence.
    pub message: String,
    /// Facts the verdict rests on.
    pub evidence: Value,
    /// Severity when it differs from the check's default.
    pub severity: Option<Severity>,
}

impl Verdict {
    /// A verdict with the given status.
    pub fn new(status: Status, message: impl Into<String>, evidence: Value) -> Self {
        Verdict {
            status,
            message: message.into(),
            evidence,
            severity: None,
        }
    }

    /// Requirement met.
    pub fn pass(message: impl Into<String>, evidence: Value) -> Self {
        Self::new(Status::Pass, message, evidence)
    }

    /// Requirement violated.
    pub fn fail(message: impl Into<String>, evidence: Value) -> Self {
        Self::new(Status::Fail, message, evidence)
    }

    /// Requirement does not apply.
    pub fn not_applicable(message: impl Into<String>, evidence: Value) -> Self {
        Self::new(Status::NotApplicable, message, evidence)
    }

    /// Needs a person to look.
    pub fn manual(message: impl Into<String>, evidence: Value) -> Self {
        Self::new(Status::Manual, message, evidence)
    }

    /// Evidence missing; `what` names the evidence the check needed.
    pub fn error(what: &str, failure: &Failure) -> Self {
        Self::new(
            Status::Error,
            format!("{what} could not be collected: {}", failure.describe()),
            serde_json::json!({ "collection_error": failure }),
        )
    }

    /// Evidence missing for a reason other than one failed call.
    pub fn missing(message: impl Into<String>, evidence: Value) -> Self {
        Self::new(Status::Error, message, evidence)
    }
}

impl CheckMeta {
    /// Builds the finding for `resource` in `region` from a verdict.
    pub fn finding(
        &self,
        ctx: &Context,
        region: &str,
        resource: &Resource,
        verdict: Verdict,
    ) -> Finding {
        Finding {
            check_id: self.id.to_owned(),
            status: verdict.status,
            severity: verdict.severity.unwrap_or(self.severity),
            account: ctx.snapshot.account_id.clone(),
            region: region.to_owned(),
            resource_type: resource.resource_type.clone(),
            resource_id: resource.id.clone(),
            resource_arn: resource.arn.clone(),
            message: verdict.message,
            hipaa: self.hipaa.iter().map(|c| (*c).to_owned()).collect(),
            baa: self.baa,
            evidence: verdict.evidence,
            remediation: self.remediation.summary.to_owned(),
            waiver: None,
        }
    }

    /// The snake_case module name for this id (`rds_cluster_iam_auth`).
    pub fn module_name(&self) -> String {
        self.id.replace('-', "_")
    }
}
