//! Findings: one graded resource per check, and the vocabulary they use.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Outcome of grading one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Evidence collected and it meets the requirement.
    Pass,
    /// Evidence collected and it violates the requirement.
    Fail,
    /// Cannot be decided from the API; the message says what to look at.
    Manual,
    /// The evidence could not be collected.
    Error,
    /// The requirement does not apply to this resource.
    NotApplicable,
    /// A `fail` covered by a waiver.
    Waived,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Manual,
        Status::Error,
        Status::NotApplicable,
        Status::Waived,
    ];

    /// The spec's spelling (`not_applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Manual => "manual",
            Status::Error => "error",
            Status::NotApplicable => "not_applicable",
            Status::Waived => "waived",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a failure matters; ordered most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Direct exposure of PHI or a BAA violation.
    Critical,
    /// A required safeguard is missing.
    High,
    /// A safeguard is weaker than recommended.
    Medium,
    /// Hygiene that supports other safeguards.
    Low,
    /// Informational.
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// Lower-case name as in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// True when `self` is as severe as `threshold` or more.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The BAA rule a check serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaaRule {
    /// Use only HIPAA-eligible services with PHI.
    EligibleServices,
    /// Encrypt PHI at rest.
    EncryptAtRest,
    /// Encrypt PHI in transit.
    EncryptInTransit,
    /// Keep audit logs.
    AuditLogging,
    /// Control access.
    AccessControl,
    /// Protect integrity.
    Integrity,
    /// Keep backups.
    Backup,
}

impl BaaRule {
    /// The spec's spelling (`encrypt-at-rest`).
    pub fn as_str(self) -> &'static str {
        match self {
            BaaRule::EligibleServices => "eligible-services",
            BaaRule::EncryptAtRest => "encrypt-at-rest",
            BaaRule::EncryptInTransit => "encrypt-in-transit",
            BaaRule::AuditLogging => "audit-logging",
            BaaRule::AccessControl => "access-control",
            BaaRule::Integrity => "integrity",
            BaaRule::Backup => "backup",
        }
    }
}

impl fmt::Display for BaaRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A waiver attached to a finding (filled in by the waiver layer, `null` otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRef {
    /// Why the failure is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Until when (YYYY-MM-DD).
    pub expires: String,
}

/// One graded resource, exactly as the JSON report's `findings[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Catalog id of the check.
    pub check_id: String,
    /// Outcome.
    pub status: Status,
    /// Severity (the check's, or adjusted for this resource).
    pub severity: Severity,
    /// Account id.
    pub account: String,
    /// Region, or `global`.
    pub region: String,
    /// CloudFormation-style resource type (`AWS::RDS::DBCluster`).
    pub resource_type: String,
    /// Resource identifier.
    pub resource_id: String,
    /// Resource ARN when known.
    pub resource_arn: Option<String>,
    /// One sentence a person can act on.
    pub message: String,
    /// 45 CFR 164 citations.
    pub hipaa: Vec<String>,
    /// BAA rule.
    pub baa: BaaRule,
    /// The API facts the verdict rests on.
    pub evidence: serde_json::Value,
    /// Short remediation; the full text is in `explain`.
    pub remediation: String,
    /// Waiver covering this finding, if any.
    pub waiver: Option<WaiverRef>,
}

impl Finding {
    /// The report's sort order: severity, check id, region, resource id (then account, status).
    pub fn report_order(&self, other: &Finding) -> Ordering {
        (
            self.severity,
            &self.check_id,
            &self.region,
            &self.resource_id,
            &self.account,
            self.status,
        )
            .cmp(&(
                other.severity,
                &other.check_id,
                &other.region,
                &other.resource_id,
                &other.account,
                other.status,
            ))
    }
}

/// Sorts findings into the report's deterministic order.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(Finding::report_order);
}
