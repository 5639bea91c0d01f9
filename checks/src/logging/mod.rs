//! Logging and detection checks (seeds 003, 004): CloudTrail, AWS Config, CloudWatch metric-filter
//! alarms and GuardDuty.
//!
//! Trails are account-wide: a multi-region trail appears in every region's DescribeTrails as a
//! "shadow" copy, and only the copy from its home region carries GetTrailStatus and
//! GetEventSelectors. [`trails`] folds every region's listing into one list per ARN, which is
//! what the `cloudtrail-*` and `cw-alarm-*` checks grade.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{EventSelectors, Failure, Source, Trail};

pub mod alarms;
pub mod filter_pattern;

pub mod cloudtrail_bucket_protected;
pub mod cloudtrail_cloudwatch;
pub mod cloudtrail_kms;
pub mod cloudtrail_log_validation;
pub mod cloudtrail_multi_region;
pub mod config_recorder_on;
pub mod config_required_rules;
pub mod config_rules_compliant;
pub mod cw_alarm_access_key_created;
pub mod cw_alarm_cloudtrail_changes;
pub mod cw_alarm_console_login_failures;
pub mod cw_alarm_console_no_mfa;
pub mod cw_alarm_iam_changes;
pub mod cw_alarm_nacl_changes;
pub mod cw_alarm_root_usage;
pub mod cw_alarm_sg_changes;
pub mod cw_alarm_unauthorized_api;
pub mod guardduty_enabled;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of a trail.
pub const TRAIL_TYPE: &str = "AWS::CloudTrail::Trail";
/// Resource type of an S3 bucket.
pub const BUCKET_TYPE: &str = "AWS::S3::Bucket";
/// Resource type of a Config recorder.
pub const RECORDER_TYPE: &str = "AWS::Config::ConfigurationRecorder";
/// Resource type of a Config rule.
pub const CONFIG_RULE_TYPE: &str = "AWS::Config::ConfigRule";
/// Resource type of a GuardDuty detector.
pub const DETECTOR_TYPE: &str = "AWS::GuardDuty::Detector";
/// Resource type of a CloudWatch Logs log group.
pub const LOG_GROUP_TYPE: &str = "AWS::Logs::LogGroup";

/// Every trail seen in the scanned regions, one per ARN (sorted by ARN), and the regions whose
/// DescribeTrails failed. The copy that carries status and selectors (the home region's) wins.
pub fn trails<'a>(ctx: &Context<'a>) -> (Vec<&'a Trail>, Vec<&'a Failure>) {
    let mut by_arn: BTreeMap<&str, &Trail> = BTreeMap::new();
    let mut failures = Vec::new();
    for region in ctx.snapshot.regions.values() {
        match &region.cloudtrail.trails {
            Source::Collected(list) => {
                for trail in list {
                    let entry = by_arn.entry(trail.arn.as_str()).or_insert(trail);
                    // Prefer the copy that carries evidence: any status over none, a
                    // collected status over a failed one.
                    let rank = |t: &Trail| match &t.status {
                        None => 0,
                        Some(Source::Failed(_)) => 1,
                        Some(Source::Collected(_)) => 2,
                    };
                    if rank(trail) > rank(entry) {
                        *entry = trail;
                    }
                }
            }
            Source::Failed(failure) => failures.push(failure),
        }
    }
    (by_arn.into_values().collect(), failures)
}

/// Which management events a trail's selectors record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManagementCoverage {
    /// Read-only management events are recorded.
    pub read: bool,
    /// Write management events are recorded.
    pub write: bool,
    /// Management event sources excluded (`kms.amazonaws.com`), reported but not disqualifying.
    pub excluded_sources: Vec<String>,
}

impl ManagementCoverage {
    /// Both read and write management events are recorded.
    pub fn complete(&self) -> bool {
        self.read && self.write
    }
}

/// The management events `selectors` record, under AWS's semantics: a basic selector records
/// management events unless IncludeManagementEvents is false, of the ReadWriteType it names
/// (default `All`); an advanced selector records them when it has `eventCategory = Management`,
/// for the `readOnly` values it allows (both when it has no `readOnly` condition).
pub fn management_coverage(selectors: &EventSelectors) -> ManagementCoverage {
    let mut coverage = ManagementCoverage::default();
    for basic in &selectors.basic {
        if basic.include_management_events == Some(false) {
            continue;
        }
        match basic.read_write_type.as_deref().unwrap_or("All") {
            "ReadOnly" => coverage.read = true,
            "WriteOnly" => coverage.write = true,
            _ => {
                coverage.read = true;
                coverage.write = true;
            }
        }
        coverage
            .excluded_sources
            .extend(basic.exclude_management_event_sources.iter().cloned());
    }
    for advanced in &selectors.advanced {
        let is_management = advanced
            .field_selectors
            .iter()
            .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"));
        if !is_management {
            continue;
        }
        let mut read = true;
        let mut write = true;
        for field in &advanced.field_selectors {
            match field.field.as_str() {
                "readOnly" => {
                    let allows = |value: &str| {
                        (field.equals.is_empty() || field.equals.iter().any(|v| v == value))
                            && !field.not_equals.iter().any(|v| v == value)
                    };
                    read &= allows("true");
                    write &= allows("false");
                }
                "eventSource" => coverage
                    .excluded_sources
                    .extend(field.not_equals.iter().cloned()),
                _ => {}
            }
        }
        coverage.read |= read;
        coverage.write |= write;
    }
    coverage.excluded_sources.sort();
    coverage.excluded_sources.dedup();
    coverage
}

/// Whether a trail is a logging multi-region trail with read and write management events.
#[derive(Debug, Clone, PartialEq)]
pub enum TrailQualification {
    /// It is; the coverage says which management sources it excludes.
    Qualifies(ManagementCoverage),
    /// It is not; each reason is one short phrase ("not multi-region", "not logging").
    DoesNotQualify(Vec<String>),
    /// Its status or selectors could not be read.
    Unknown(Failure),
}

/// Grades one trail against the `cloudtrail-multi-region` requirement. A known disqualifying
/// fact wins over unreadable evidence: a single-region trail does not qualify even when its
/// status could not be read, so `Unknown` means "could still qualify".
pub fn qualify(trail: &Trail) -> TrailQualification {
    let mut reasons = Vec::new();
    let mut unknown: Option<Failure> = None;
    if !trail.is_multi_region {
        reasons.push("not multi-region".to_owned());
    }
    match &trail.status {
        Some(Source::Collected(status)) if !status.is_logging => {
            reasons.push("not logging (StopLogging)".to_owned())
        }
        Some(Source::Collected(_)) => {}
        Some(Source::Failed(failure)) => {
            unknown.get_or_insert_with(|| failure.clone());
        }
        None => {
            unknown.get_or_insert_with(|| shadow_only(trail, "GetTrailStatus"));
        }
    }
    let coverage = match &trail.event_selectors {
        Some(Source::Collected(selectors)) => Some(management_coverage(selectors)),
        Some(Source::Failed(failure)) => {
            unknown.get_or_insert_with(|| failure.clone());
            None
        }
        None => {
            unknown.get_or_insert_with(|| shadow_only(trail, "GetEventSelectors"));
            None
        }
    };
    if let Some(coverage) = &coverage {
        match (coverage.read, coverage.write) {
            (true, true) => {}
            (true, false) => reasons.push("records only read management events".to_owned()),
            (false, true) => reasons.push("records only write management events".to_owned()),
            (false, false) => reasons.push("records no management events".to_owned()),
        }
    }
    match (reasons.is_empty(), unknown, coverage) {
        (false, _, _) => TrailQualification::DoesNotQualify(reasons),
        (true, Some(failure), _) => TrailQualification::Unknown(failure),
        (true, None, coverage) => TrailQualification::Qualifies(coverage.unwrap_or_default()),
    }
}

/// The failure recorded when only shadow copies of a trail were seen (no status or selectors).
fn shadow_only(trail: &Trail, operation: &str) -> Failure {
    Failure::new(
        "cloudtrail",
        operation,
        &trail.home_region,
        "NotCollected",
        format!(
            "trail {} was seen only as a shadow copy; its home region {} was not read",
            trail.name, trail.home_region
        ),
    )
}

/// The trails that qualify for `cloudtrail-multi-region`, sorted by ARN.
pub fn qualifying_trails<'a>(trails: &[&'a Trail]) -> Vec<&'a Trail> {
    trails
        .iter()
        .copied()
        .filter(|t| matches!(qualify(t), TrailQualification::Qualifies(_)))
        .collect()
}

/// The finding's resource for a trail.
pub fn trail_resource(trail: &Trail) -> Resource {
    Resource::new(TRAIL_TYPE, &trail.name, &trail.arn)
}

/// Short evidence for a trail (the fields DescribeTrails returned).
pub fn trail_evidence(trail: &Trail) -> Value {
    json!({
        "TrailARN": trail.arn,
        "HomeRegion": trail.home_region,
        "IsMultiRegionTrail": trail.is_multi_region,
        "IsOrganizationTrail": trail.is_organization_trail,
        "LogFileValidationEnabled": trail.log_file_validation_enabled,
        "KmsKeyId": trail.kms_key_id,
        "S3BucketName": trail.s3_bucket_name,
        "CloudWatchLogsLogGroupArn": trail.cloud_watch_logs_log_group_arn,
    })
}

/// `(region, log group name)` of a CloudWatch Logs log group ARN
/// (`arn:aws:logs:us-east-1:111122223333:log-group:NAME:*`).
pub fn log_group_of_arn(arn: &str) -> Option<(String, String)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, region, _, rest) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if service != "logs" {
        return None;
    }
    let name = rest.strip_prefix("log-group:")?;
    let name = name.strip_suffix(":*").unwrap_or(name);
    Some((region.to_owned(), name.to_owned()))
}

/// Grades every distinct trail with `grade`; a region whose DescribeTrails failed is one
/// region-level `error`. Trails are reported in their home region.
pub fn grade_trails(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&Trail) -> Verdict,
) -> Vec<Finding> {
    let (trails, failures) = trails(ctx);
    let mut findings: Vec<Finding> = failures
        .iter()
        .map(|failure| {
            meta.finding(
                ctx,
                &failure.region,
                &Resource::region(&failure.region),
                Verdict::error("the region's trails (cloudtrail:DescribeTrails)", failure),
            )
        })
        .collect();
    for trail in trails {
        findings.push(meta.finding(
            ctx,
            &trail.home_region,
            &trail_resource(trail),
            grade(trail),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector};

    fn field(name: &str, equals: &[&str]) -> AdvancedFieldSelector {
        AdvancedFieldSelector {
            field: name.into(),
            equals: equals.iter().map(|s| (*s).into()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn basic_selectors_default_to_all_management_events() {
        let all = EventSelectors {
            basic: vec![BasicEventSelector::default()],
            advanced: vec![],
        };
        assert!(management_coverage(&all).complete());
        let read_only = EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some("ReadOnly".into()),
                ..Default::default()
            }],
            advanced: vec![],
        };
        let coverage = management_coverage(&read_only);
        assert!(coverage.read && !coverage.write);
        let data_only = EventSelectors {
            basic: vec![BasicEventSelector {
                include_management_events: Some(false),
                ..Default::default()
            }],
            advanced: vec![],
        };
        assert!(!management_coverage(&data_only).read);
        // No selectors at all: nothing recorded.
        assert!(!management_coverage(&EventSelectors::default()).write);
    }

    #[test]
    fn advanced_selectors_need_management_category_and_both_read_only_values() {
        let both = EventSelectors {
            basic: vec![],
            advanced: vec![AdvancedEventSelector {
                name: Some("mgmt".into()),
                field_selectors: vec![field("eventCategory", &["Management"])],
            }],
        };
        assert!(management_coverage(&both).complete());
        let split = EventSelectors {
            basic: vec![],
            advanced: vec![
                AdvancedEventSelector {
                    name: None,
                    field_selectors: vec![
                        field("eventCategory", &["Management"]),
                        field("readOnly", &["true"]),
                    ],
                },
                AdvancedEventSelector {
                    name: None,
                    field_selectors: vec![
                        field("eventCategory", &["Management"]),
                        field("readOnly", &["false"]),
                    ],
                },
            ],
        };
        assert!(management_coverage(&split).complete());
        let write_only = EventSelectors {
            basic: vec![],
            advanced: vec![split.advanced[1].clone()],
        };
        let coverage = management_coverage(&write_only);
        assert!(coverage.write && !coverage.read);
        let data = EventSelectors {
            basic: vec![],
            advanced: vec![AdvancedEventSelector {
                name: None,
                field_selectors: vec![field("eventCategory", &["Data"])],
            }],
        };
        assert!(!management_coverage(&data).write);
    }

    #[test]
    fn the_copy_with_collected_status_wins_whatever_the_region_order() {
        use crate::logging::fixtures::*;
        let mut failed = trail();
        failed.status = Some(Source::Failed(failure("cloudtrail", "GetTrailStatus")));
        let mut a = crate::snapshot::RegionSnapshot::default();
        a.cloudtrail.trails = Source::Collected(vec![failed]);
        let mut b = crate::snapshot::RegionSnapshot::default();
        b.cloudtrail.trails = Source::Collected(vec![trail()]);
        let snapshot = snapshot_of(
            vec![("ap-south-1", a), ("us-east-1", b)],
            compliant_global(),
        );
        let config = crate::config::Config::default();
        let ctx = Context {
            snapshot: &snapshot,
            config: &config,
            now: snapshot.started_at,
            eligible: crate::eligible::EligibleServices::embedded(),
        };
        let (merged, _) = trails(&ctx);
        assert_eq!(merged.len(), 1);
        assert!(matches!(merged[0].status, Some(Source::Collected(_))));
    }

    #[test]
    fn log_group_arns_parse() {
        assert_eq!(
            log_group_of_arn("arn:aws:logs:eu-west-1:111122223333:log-group:trail/logs:*"),
            Some(("eu-west-1".into(), "trail/logs".into()))
        );
        assert_eq!(
            log_group_of_arn("arn:aws:logs:us-east-1:111122223333:log-group:ct"),
            Some(("us-east-1".into(), "ct".into()))
        );
        assert_eq!(log_group_of_arn("arn:aws:s3:::bucket"), None);
    }
}
