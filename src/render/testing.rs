//! Test support for the renderers: a small hand-built report and schema validation.

use hipaa_checks::finding::WaiverRef;
use hipaa_checks::report::{CollectionError, ScanInfo, Summary, Tool, REPORT_SCHEMA_VERSION};
use hipaa_checks::waiver::{WaiverState, WaiverStatus};
use hipaa_checks::{BaaRule, Finding, Report, Severity, Status};
use serde_json::{json, Value};

/// The account every sample finding is in.
pub const ACCOUNT: &str = "123456789012";

/// A finding with the fields that matter to renderers; the rest are plain defaults.
#[allow(clippy::too_many_arguments)]
pub fn finding(
    check_id: &str,
    status: Status,
    severity: Severity,
    region: &str,
    resource_type: &str,
    resource_id: &str,
    resource_arn: Option<&str>,
    message: &str,
) -> Finding {
    Finding {
        check_id: check_id.to_owned(),
        status,
        severity,
        account: ACCOUNT.to_owned(),
        region: region.to_owned(),
        resource_type: resource_type.to_owned(),
        resource_id: resource_id.to_owned(),
        resource_arn: resource_arn.map(str::to_owned),
        message: message.to_owned(),
        hipaa: vec!["164.312(a)(2)(iv)".to_owned()],
        baa: BaaRule::EncryptAtRest,
        evidence: json!({ "StorageEncrypted": status != Status::Fail }),
        remediation: "Restore from an encrypted snapshot.".to_owned(),
        waiver: None,
    }
}

/// A report with one finding of every status, awkward text (`|`, newlines, XML and CSV
/// metacharacters), region- and account-level resources, two regions and a collection error.
pub fn sample_report() -> Report {
    let mut public_bucket = finding(
        "s3-bucket-not-public",
        Status::Fail,
        Severity::Critical,
        "us-east-1",
        "AWS::S3::Bucket",
        "phi-exports",
        Some("arn:aws:s3:::phi-exports"),
        "=HYPERLINK(\"x\") bucket | policy allows \"*\" <&>\nsecond line",
    );
    public_bucket.hipaa = vec!["164.312(a)(1)".to_owned(), "164.312(e)(1)".to_owned()];
    public_bucket.baa = BaaRule::AccessControl;
    let mut waived = finding(
        "rds-cluster-backup-retention",
        Status::Waived,
        Severity::Medium,
        "us-west-2",
        "AWS::RDS::DBCluster",
        "analytics",
        Some("arn:aws:rds:us-west-2:123456789012:cluster:analytics"),
        "Backup retention is 7 days; 35 are required.",
    );
    waived.baa = BaaRule::Backup;
    waived.hipaa = vec!["164.308(a)(7)(ii)(A)".to_owned()];
    waived.waiver = Some(WaiverRef {
        reason: "Analytics copy holds no PHI".to_owned(),
        owner: "secops@example.com".to_owned(),
        expires: "2027-03-31".to_owned(),
    });
    let mut manual = finding(
        "baa-accepted",
        Status::Manual,
        Severity::Critical,
        "global",
        "AWS::::Account",
        ACCOUNT,
        None,
        "Confirm in AWS Artifact that the BAA is accepted.",
    );
    manual.evidence = Value::Null;
    let mut findings = vec![
        public_bucket,
        finding(
            "rds-cluster-storage-encrypted",
            Status::Fail,
            Severity::Critical,
            "us-east-1",
            "AWS::RDS::DBCluster",
            "orders",
            Some("arn:aws:rds:us-east-1:123456789012:cluster:orders"),
            "Cluster storage is not encrypted.",
        ),
        finding(
            "rds-cluster-storage-encrypted",
            Status::Pass,
            Severity::Critical,
            "us-west-2",
            "AWS::RDS::DBCluster",
            "billing",
            Some("arn:aws:rds:us-west-2:123456789012:cluster:billing"),
            "Cluster storage is encrypted.",
        ),
        manual,
        finding(
            "cloudtrail-multi-region",
            Status::Error,
            Severity::High,
            "us-east-1",
            "AWS::::Region",
            "us-east-1",
            None,
            "Trails could not be collected: AccessDenied.",
        ),
        waived,
        finding(
            "vpc-default-vpc-unused",
            Status::NotApplicable,
            Severity::Medium,
            "us-west-2",
            "AWS::EC2::VPC",
            "vpc-0abc",
            None,
            "No default VPC in this region.",
        ),
    ];
    hipaa_checks::finding::sort_findings(&mut findings);
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: Tool {
            name: "hipaa-audit".to_owned(),
            version: "0.1.0".to_owned(),
        },
        scan: ScanInfo {
            id: format!("{ACCOUNT}-20260102T030405Z"),
            started_at: "2026-01-02T03:04:05Z".to_owned(),
            finished_at: "2026-01-02T03:05:06.789Z".to_owned(),
            accounts: vec![ACCOUNT.to_owned()],
            regions: vec!["us-east-1".to_owned(), "us-west-2".to_owned()],
            eligible_services_as_of: "2026-01-01".to_owned(),
        },
        summary: Summary::of(&findings),
        findings,
        collection_errors: vec![CollectionError {
            service: "cloudtrail".to_owned(),
            operation: "DescribeTrails".to_owned(),
            region: "us-east-1".to_owned(),
            error_code: "AccessDenied".to_owned(),
            message: "not authorized".to_owned(),
        }],
        waivers: vec![WaiverStatus {
            check: "rds-cluster-backup-retention".to_owned(),
            resource: "arn:aws:rds:*:123456789012:cluster:analytics".to_owned(),
            owner: "secops@example.com".to_owned(),
            expires: "2027-03-31".to_owned(),
            state: WaiverState::Applied,
            matched: 1,
            waived: 1,
        }],
    }
}

/// A report with no findings at all.
pub fn empty_report() -> Report {
    let mut report = sample_report();
    report.findings.clear();
    report.collection_errors.clear();
    report.waivers.clear();
    report.summary = Summary::of(&report.findings);
    report
}

/// Panics with every violation when `instance` does not validate against `schema` (JSON text).
pub fn assert_valid(schema: &str, instance: &Value) {
    let schema: Value = serde_json::from_str(schema).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

/// True when `instance` validates against `schema` (JSON text); for negative tests.
pub fn is_valid(schema: &str, instance: &Value) -> bool {
    let schema: Value = serde_json::from_str(schema).expect("schema is JSON");
    jsonschema::validator_for(&schema)
        .expect("schema compiles")
        .is_valid(instance)
}
