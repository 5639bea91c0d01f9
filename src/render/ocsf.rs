//! OCSF 1.1.0 Compliance Finding events (class 2003), one per finding, for SIEMs and data lakes
//! (Security Lake, Splunk, ...). Field names and enums are the 1.1.0 schema's: in 1.1.0 the
//! class has a single `resource` (the `resources` array came in 1.3.0).

use hipaa_checks::{registry, Finding, Report, Severity, Status};
use serde::Serialize;
use serde_json::Value;

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.1.0";
/// The standard named in every event's `compliance.standards`.
pub const STANDARD: &str = "HIPAA Security Rule 45 CFR 164";

const CATEGORY_UID: u32 = 2; // Findings
const CLASS_UID: u32 = 2003; // Compliance Finding
const ACTIVITY_CREATE: u32 = 1;

/// What can stop the OCSF rendering.
#[derive(Debug, thiserror::Error)]
pub enum OcsfError {
    /// The scan's `finished_at` is not an RFC 3339 time (event `time` is derived from it).
    #[error("scan finished_at {value:?} is not an RFC 3339 time: {source}")]
    FinishedAt {
        /// The value found.
        value: String,
        /// The parser's complaint.
        source: jiff::Error,
    },
    /// Serialisation failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

#[derive(Serialize)]
struct Event<'a> {
    activity_id: u32,
    activity_name: &'static str,
    category_uid: u32,
    category_name: &'static str,
    class_uid: u32,
    class_name: &'static str,
    type_uid: u32,
    type_name: &'static str,
    time: i64,
    timezone_offset: i32,
    severity_id: u32,
    severity: &'static str,
    status_id: u32,
    status: &'static str,
    status_code: &'a str,
    message: &'a str,
    metadata: Metadata<'a>,
    finding_info: FindingInfo<'a>,
    compliance: Compliance<'a>,
    resource: Resource<'a>,
    cloud: Cloud<'a>,
    remediation: Remediation<'a>,
    unmapped: Unmapped<'a>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    version: &'static str,
    product: Product<'a>,
    profiles: [&'static str; 1],
}

#[derive(Serialize)]
struct Product<'a> {
    name: &'a str,
    vendor_name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct FindingInfo<'a> {
    uid: String,
    title: &'a str,
    desc: &'a str,
}

#[derive(Serialize)]
struct Compliance<'a> {
    standards: [&'static str; 1],
    requirements: &'a [String],
    control: &'a str,
    status_id: u32,
    status: &'static str,
    status_code: &'a str,
}

#[derive(Serialize)]
struct Resource<'a> {
    uid: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    region: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cloud_partition: Option<&'a str>,
}

#[derive(Serialize)]
struct Cloud<'a> {
    provider: &'static str,
    account: Account<'a>,
    region: &'a str,
}

#[derive(Serialize)]
struct Account<'a> {
    uid: &'a str,
    type_id: u32,
    #[serde(rename = "type")]
    account_type: &'static str,
}

#[derive(Serialize)]
struct Remediation<'a> {
    desc: &'a str,
}

/// Our fields that OCSF has no place for.
#[derive(Serialize)]
struct Unmapped<'a> {
    baa: &'static str,
    evidence: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a hipaa_checks::finding::WaiverRef>,
}

/// `severity_id` and its caption.
fn severity(severity: Severity) -> (u32, &'static str) {
    match severity {
        Severity::Critical => (5, "Critical"),
        Severity::High => (4, "High"),
        Severity::Medium => (3, "Medium"),
        Severity::Low => (2, "Low"),
        Severity::Info => (1, "Informational"),
    }
}

/// The finding's workflow `status_id` (1.1.0 Finding: New, Suppressed, Resolved), as Security
/// Hub does it: a pass (or a resource the control does not apply to) is resolved, a waiver
/// suppresses, everything else is new and needs attention.
fn workflow_status(status: Status) -> (u32, &'static str) {
    match status {
        Status::Fail | Status::Error | Status::Manual => (1, "New"),
        Status::Waived => (3, "Suppressed"),
        Status::Pass | Status::NotApplicable => (4, "Resolved"),
    }
}

/// `compliance.status_id` (1.1.0: Pass, Warning = no result for lack of information, Fail,
/// Other). A waived finding still fails the control; not-applicable has no caption of its own.
fn compliance_status(status: Status) -> (u32, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::Error | Status::Manual => (2, "Warning"),
        Status::Fail | Status::Waived => (3, "Fail"),
        Status::NotApplicable => (99, "Not Applicable"),
    }
}

/// The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`), when it is one.
fn partition(arn: Option<&str>) -> Option<&str> {
    let mut parts = arn?.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    parts.next().filter(|p| !p.is_empty())
}

fn event<'a>(report: &'a Report, finding: &'a Finding, time: i64) -> Event<'a> {
    let (severity_id, severity) = severity(finding.severity);
    let (status_id, status) = workflow_status(finding.status);
    let (compliance_status_id, compliance_status) = compliance_status(finding.status);
    let title = registry::find(&finding.check_id)
        .map(|c| c.meta.title)
        .unwrap_or(&finding.check_id);
    Event {
        activity_id: ACTIVITY_CREATE,
        activity_name: "Create",
        category_uid: CATEGORY_UID,
        category_name: "Findings",
        class_uid: CLASS_UID,
        class_name: "Compliance Finding",
        type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
        type_name: "Compliance Finding: Create",
        time,
        timezone_offset: 0,
        severity_id,
        severity,
        status_id,
        status,
        status_code: finding.status.as_str(),
        message: &finding.message,
        metadata: Metadata {
            version: OCSF_VERSION,
            product: Product {
                name: &report.tool.name,
                vendor_name: &report.tool.name,
                version: &report.tool.version,
            },
            profiles: ["cloud"],
        },
        finding_info: FindingInfo {
            // Unique in the scan and the same every time this report is rendered. The account
            // is in it because region-level findings repeat region and id across accounts.
            uid: format!(
                "{}/{}/{}/{}/{}",
                report.scan.id,
                finding.account,
                finding.check_id,
                finding.region,
                finding.resource_id
            ),
            title,
            desc: &finding.message,
        },
        compliance: Compliance {
            standards: [STANDARD],
            requirements: &finding.hipaa,
            control: &finding.check_id,
            status_id: compliance_status_id,
            status: compliance_status,
            status_code: finding.status.as_str(),
        },
        resource: Resource {
            uid: finding
                .resource_arn
                .as_deref()
                .unwrap_or(&finding.resource_id),
            name: &finding.resource_id,
            resource_type: &finding.resource_type,
            region: &finding.region,
            cloud_partition: partition(finding.resource_arn.as_deref()),
        },
        cloud: Cloud {
            provider: "AWS",
            account: Account {
                uid: &finding.account,
                type_id: 10,
                account_type: "AWS Account",
            },
            region: &finding.region,
        },
        remediation: Remediation {
            desc: &finding.remediation,
        },
        unmapped: Unmapped {
            baa: finding.baa.as_str(),
            evidence: &finding.evidence,
            waiver: finding.waiver.as_ref(),
        },
    }
}

/// Renders a JSON array of OCSF 1.1.0 Compliance Finding events, one per finding of any status,
/// in report order (pretty, trailing newline). Every event's `time` is the scan's end.
pub fn render(report: &Report) -> Result<String, OcsfError> {
    let finished: jiff::Timestamp =
        report
            .scan
            .finished_at
            .parse()
            .map_err(|source| OcsfError::FinishedAt {
                value: report.scan.finished_at.clone(),
                source,
            })?;
    let time = finished.as_millisecond();
    let events: Vec<Event> = report
        .findings
        .iter()
        .map(|f| event(report, f, time))
        .collect();
    let mut out = serde_json::to_string_pretty(&events)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_valid, empty_report, is_valid, sample_report};
    use serde_json::json;

    const EVENT_SCHEMA: &str =
        include_str!("../../tests/schemas/ocsf-1.1.0-compliance_finding.schema.json");

    fn events(report: &Report) -> Vec<Value> {
        let text = render(report).expect("renders");
        serde_json::from_str(&text).expect("a JSON array")
    }

    #[test]
    fn every_event_validates_against_the_ocsf_1_1_0_class_schema() {
        let events = events(&sample_report());
        assert!(!events.is_empty());
        for event in &events {
            assert_valid(EVENT_SCHEMA, event);
        }
    }

    #[test]
    fn the_schema_rejects_what_1_1_0_does_not_have() {
        let mut event = events(&sample_report()).remove(0);
        // `resources` is 1.3.0's; 1.1.0's Compliance Finding knows only `resource`.
        event["resources"] = json!([event["resource"].clone()]);
        assert!(!is_valid(EVENT_SCHEMA, &event));
        let mut event = events(&sample_report()).remove(0);
        event["compliance"]["status_id"] = json!(4);
        assert!(!is_valid(EVENT_SCHEMA, &event));
    }

    #[test]
    fn one_event_per_finding_with_the_class_identity() {
        let report = sample_report();
        let events = events(&report);
        assert_eq!(events.len(), report.findings.len());
        for e in &events {
            assert_eq!(e["class_uid"], 2003);
            assert_eq!(e["category_uid"], 2);
            assert_eq!(e["activity_id"], 1);
            assert_eq!(e["type_uid"], 200301);
            assert_eq!(e["class_name"], "Compliance Finding");
            assert_eq!(e["metadata"]["version"], "1.1.0");
            assert_eq!(e["metadata"]["product"]["vendor_name"], "hipaa-audit");
            assert_eq!(e["time"], 1_767_323_106_789_i64, "2026-01-02T03:05:06.789Z");
            assert_eq!(e["cloud"]["provider"], "AWS");
            assert_eq!(e["cloud"]["account"]["uid"], "123456789012");
            assert_eq!(
                e["compliance"]["standards"],
                json!(["HIPAA Security Rule 45 CFR 164"])
            );
        }
        let uids: std::collections::BTreeSet<&str> = events
            .iter()
            .map(|e| e["finding_info"]["uid"].as_str().expect("uid"))
            .collect();
        assert_eq!(uids.len(), events.len(), "uids are unique");
    }

    #[test]
    fn statuses_and_severities_map_to_ocsf_enums() {
        let report = sample_report();
        let events = events(&report);
        let by_id = |id: &str| {
            events
                .iter()
                .find(|e| e["resource"]["name"] == id)
                .unwrap_or_else(|| panic!("no event for {id}"))
        };
        let bucket = by_id("phi-exports");
        assert_eq!(bucket["severity_id"], 5);
        assert_eq!(bucket["status_id"], 1);
        assert_eq!(bucket["compliance"]["status_id"], 3);
        assert_eq!(bucket["compliance"]["control"], "s3-bucket-not-public");
        assert_eq!(
            bucket["compliance"]["requirements"],
            json!(["164.312(a)(1)", "164.312(e)(1)"])
        );
        assert_eq!(bucket["resource"]["uid"], "arn:aws:s3:::phi-exports");
        assert_eq!(bucket["resource"]["cloud_partition"], "aws");
        assert_eq!(
            bucket["finding_info"]["uid"],
            "123456789012-20260102T030405Z/123456789012/s3-bucket-not-public/us-east-1/phi-exports"
        );
        let pass = by_id("billing");
        assert_eq!(pass["compliance"]["status"], "Pass");
        assert_eq!(pass["status"], "Resolved");
        let error = by_id("us-east-1");
        assert_eq!(error["compliance"]["status_id"], 2);
        assert_eq!(error["severity_id"], 4);
        assert_eq!(error["resource"]["uid"], "us-east-1", "no ARN: the id");
        assert!(error["resource"].get("cloud_partition").is_none());
        let waived = by_id("analytics");
        assert_eq!(waived["status"], "Suppressed");
        assert_eq!(waived["compliance"]["status"], "Fail");
        assert_eq!(waived["unmapped"]["waiver"]["owner"], "secops@example.com");
        let na = by_id("vpc-0abc");
        assert_eq!(na["compliance"]["status_id"], 99);
        assert_eq!(na["compliance"]["status_code"], "not_applicable");
    }

    #[test]
    fn a_bad_finish_time_is_an_error_naming_it() {
        let mut report = sample_report();
        report.scan.finished_at = "yesterday".to_owned();
        let err = render(&report).expect_err("must fail");
        assert!(err.to_string().contains("yesterday"), "{err}");
    }

    #[test]
    fn an_empty_report_is_an_empty_array() {
        assert_eq!(render(&empty_report()).expect("renders"), "[]\n");
    }

    #[test]
    fn partition_comes_from_the_arn() {
        assert_eq!(partition(Some("arn:aws-us-gov:s3:::b")), Some("aws-us-gov"));
        assert_eq!(partition(Some("not-an-arn")), None);
        assert_eq!(partition(None), None);
    }
}
