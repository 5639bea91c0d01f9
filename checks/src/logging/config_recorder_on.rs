//! config-recorder-on: an AWS Config recorder records every supported resource type and is
//! running, in every scanned region.

use serde_json::{json, Value};

use super::RECORDER_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::unavailable;
use crate::snapshot::{ConfigRecorder, ConfigRecorderStatus, Source};

/// The check: one finding per scanned region.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "config-recorder-on",
    title: "AWS Config records all resource types in every region",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[RECORDER_TYPE, "AWS::::Region"],
    requirement: "Information system activity review (164.308(a)(1)(ii)(D)) needs a history of \
        how every resource was configured, and the Config rules that watch the environment \
        (seeds 003, 004) evaluate only what the recorder records. Each scanned region needs a \
        configuration recorder that records all supported resource types (AllSupported, or \
        the ALL_SUPPORTED_RESOURCE_TYPES strategy; an exclusion or inclusion list is a gap) and \
        is recording, with a last status other than FAILURE. Whether global resource types \
        (IAM) are recorded is reported but not required in every region.",
    evidence: &[
        "config:DescribeConfigurationRecorders RecordingGroup",
        "config:DescribeConfigurationRecorderStatus recording, lastStatus",
    ],
    remediation: Remediation {
        summary: "Set up AWS Config in the region to record all resource types, and start the \
            recorder.",
        console: "AWS Config > Settings (or Get started) in the region > Recording strategy: All \
            resource types with customizable overrides, with no overrides that exclude types > \
            choose the delivery S3 bucket and the AWS Config service-linked role > Save; if the \
            recorder shows 'Recording is off', choose Turn on recording.",
        cli: "aws configservice put-configuration-recorder --configuration-recorder \
              name=default,roleARN=arn:aws:iam::<account>:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig \
              --recording-group allSupported=true,includeGlobalResourceTypes=true\n\
              aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<config-bucket>\n\
              aws configservice start-configuration-recorder --configuration-recorder-name default",
        cloudformation: "AWS::Config::ConfigurationRecorder: RecordingGroup: {AllSupported: true, \
            IncludeGlobalResourceTypes: true}, plus AWS::Config::DeliveryChannel (the recorder \
            starts when both exist)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    ctx.snapshot
        .regions
        .iter()
        .map(|(name, region)| {
            let config = &region.config_service;
            let (resource, verdict) = match (&config.recorders, &config.recorder_statuses) {
                (Source::Collected(recorders), Source::Collected(statuses)) => {
                    grade_region(name, recorders, statuses)
                }
                (recorders, statuses) => {
                    let failures: Vec<_> = [recorders.failure(), statuses.failure()]
                        .into_iter()
                        .flatten()
                        .collect();
                    (
                        Resource::region(name),
                        unavailable("the region's Config recorders and their status", &failures),
                    )
                }
            };
            META.finding(ctx, name, &resource, verdict)
        })
        .collect()
}

/// One recorder's verdict: what it fails to record or do, and facts for the message.
struct RecorderGrade {
    gaps: Vec<String>,
    notes: Vec<String>,
    evidence: Value,
}

fn grade_region(
    region: &str,
    recorders: &[ConfigRecorder],
    statuses: &[ConfigRecorderStatus],
) -> (Resource, Verdict) {
    let mut sorted: Vec<&ConfigRecorder> = recorders.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    if sorted.is_empty() {
        return (
            Resource::region(region),
            Verdict::fail(
                format!("no AWS Config recorder exists in {region}, so resource configuration changes are not recorded"),
                json!({ "recorders": [], "statuses": statuses_evidence(statuses) }),
            ),
        );
    }
    let graded: Vec<(&ConfigRecorder, RecorderGrade)> = sorted
        .iter()
        .map(|r| {
            (
                *r,
                grade_recorder(r, statuses.iter().find(|s| s.name == r.name)),
            )
        })
        .collect();
    let evidence = json!({
        "recorders": graded.iter().map(|(_, g)| g.evidence.clone()).collect::<Vec<_>>(),
    });
    // A region is covered when any recorder (the customer's, not only a service-linked one)
    // records everything and is running.
    if let Some((recorder, grade)) = graded.iter().find(|(_, g)| g.gaps.is_empty()) {
        let mut message = format!(
            "recorder {} records all supported resource types and is recording",
            recorder.name
        );
        if !grade.notes.is_empty() {
            message.push_str(&format!(" ({})", grade.notes.join("; ")));
        }
        return (
            recorder_resource(recorder),
            Verdict::pass(message, evidence),
        );
    }
    let described: Vec<String> = graded
        .iter()
        .map(|(r, g)| format!("recorder {} {}", r.name, g.gaps.join(", ")))
        .collect();
    let first = graded.first().map(|(r, _)| *r);
    let resource = first.map_or_else(|| Resource::region(region), recorder_resource);
    (resource, Verdict::fail(described.join("; "), evidence))
}

fn grade_recorder(
    recorder: &ConfigRecorder,
    status: Option<&ConfigRecorderStatus>,
) -> RecorderGrade {
    let mut gaps = Vec::new();
    let mut notes = Vec::new();
    let strategy = recorder.recording_strategy.as_deref().unwrap_or("");
    let all_strategy = strategy.eq_ignore_ascii_case("ALL_SUPPORTED_RESOURCE_TYPES");
    let exclusion = strategy.eq_ignore_ascii_case("EXCLUSION_BY_RESOURCE_TYPES");
    if exclusion || (!recorder.all_supported && !recorder.excluded_resource_types.is_empty()) {
        let mut excluded = recorder.excluded_resource_types.clone();
        excluded.sort();
        gaps.push(if excluded.is_empty() {
            "records by exclusion list (no types listed)".to_owned()
        } else {
            format!("records all types except {}", excluded.join(", "))
        });
    } else if !(recorder.all_supported || all_strategy) {
        let count = recorder.resource_types.len();
        gaps.push(match count {
            0 => "records no resource types".to_owned(),
            1 => format!(
                "records only 1 resource type ({})",
                recorder.resource_types.join("")
            ),
            n => format!("records only {n} selected resource types"),
        });
    }
    if !recorder.include_global_resource_types {
        notes.push("global resource types such as IAM are not recorded here".to_owned());
    }
    match status {
        None => gaps.push("has no recorder status (it was never started)".to_owned()),
        Some(status) => {
            if !status.recording {
                gaps.push("is not recording (stopped)".to_owned());
            }
            if status
                .last_status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("FAILURE"))
            {
                gaps.push("last recording attempt failed (lastStatus FAILURE)".to_owned());
            }
        }
    }
    let evidence = json!({
        "name": recorder.name,
        "allSupported": recorder.all_supported,
        "includeGlobalResourceTypes": recorder.include_global_resource_types,
        "recordingStrategy": recorder.recording_strategy,
        "excludedResourceTypes": recorder.excluded_resource_types,
        "resourceTypes": recorder.resource_types,
        "recording": status.map(|s| s.recording),
        "lastStatus": status.and_then(|s| s.last_status.clone()),
        "gaps": gaps,
    });
    RecorderGrade {
        gaps,
        notes,
        evidence,
    }
}

fn statuses_evidence(statuses: &[ConfigRecorderStatus]) -> Value {
    serde_json::to_value(statuses).unwrap_or(Value::Null)
}

fn recorder_resource(recorder: &ConfigRecorder) -> Resource {
    Resource::new(RECORDER_TYPE, &recorder.name, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::RegionSnapshot;

    fn recorder() -> ConfigRecorder {
        ConfigRecorder {
            name: "default".into(),
            all_supported: true,
            include_global_resource_types: true,
            recording_strategy: Some("ALL_SUPPORTED_RESOURCE_TYPES".into()),
            excluded_resource_types: vec![],
            resource_types: vec![],
        }
    }

    fn status(recording: bool, last: Option<&str>) -> ConfigRecorderStatus {
        ConfigRecorderStatus {
            name: "default".into(),
            recording,
            last_status: last.map(str::to_owned),
        }
    }

    fn region_with(
        recorders: Vec<ConfigRecorder>,
        statuses: Vec<ConfigRecorderStatus>,
    ) -> RegionSnapshot {
        let mut region = compliant_region();
        region.config_service.recorders = Source::Collected(recorders);
        region.config_service.recorder_statuses = Source::Collected(statuses);
        region
    }

    fn grade(recorders: Vec<ConfigRecorder>, statuses: Vec<ConfigRecorderStatus>) -> Finding {
        only_finding(evaluate(&CHECK, region_with(recorders, statuses)))
    }

    #[test]
    fn recording_everything_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, RECORDER_TYPE);
        assert_eq!(finding.resource_id, "default");
        assert_eq!(finding.region, REGION);
    }

    #[test]
    fn one_finding_per_region() {
        let snapshot = snapshot_of(
            vec![
                ("us-east-1", compliant_region()),
                ("eu-west-1", region_with(vec![], vec![])),
            ],
            compliant_global(),
        );
        let findings = evaluate_snapshot(&CHECK, &snapshot, &Config::default());
        assert_eq!(findings.len(), 2);
        let missing = findings
            .iter()
            .find(|f| f.region == "eu-west-1")
            .expect("eu-west-1");
        assert_eq!(missing.status, Status::Fail);
        assert_eq!(missing.resource_type, "AWS::::Region");
        assert!(
            missing.message.contains("no AWS Config recorder"),
            "{}",
            missing.message
        );
    }

    #[test]
    fn exclusion_list_fails_naming_the_types() {
        let excluding = ConfigRecorder {
            all_supported: false,
            recording_strategy: Some("EXCLUSION_BY_RESOURCE_TYPES".into()),
            excluded_resource_types: vec!["AWS::RDS::DBCluster".into(), "AWS::EC2::Volume".into()],
            ..recorder()
        };
        let finding = grade(vec![excluding], vec![status(true, Some("SUCCESS"))]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding
                .message
                .contains("all types except AWS::EC2::Volume, AWS::RDS::DBCluster"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn inclusion_list_fails_with_the_count() {
        let including = ConfigRecorder {
            all_supported: false,
            recording_strategy: Some("INCLUSION_BY_RESOURCE_TYPES".into()),
            resource_types: vec!["AWS::EC2::Instance".into(), "AWS::S3::Bucket".into()],
            ..recorder()
        };
        let finding = grade(vec![including], vec![status(true, Some("SUCCESS"))]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("only 2 selected"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn all_supported_without_a_strategy_passes() {
        let legacy = ConfigRecorder {
            recording_strategy: None,
            ..recorder()
        };
        assert_eq!(
            grade(vec![legacy], vec![status(true, None)]).status,
            Status::Pass
        );
    }

    #[test]
    fn stopped_failed_or_never_started_fails() {
        let finding = grade(vec![recorder()], vec![status(false, Some("SUCCESS"))]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("not recording"),
            "{}",
            finding.message
        );

        let finding = grade(vec![recorder()], vec![status(true, Some("Failure"))]);
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("FAILURE"), "{}", finding.message);

        let finding = grade(vec![recorder()], vec![]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("never started"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn unknown_status_strings_do_not_crash_or_fail() {
        let finding = grade(vec![recorder()], vec![status(true, Some("SOMETHING_NEW"))]);
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(
            finding.evidence["recorders"][0]["lastStatus"],
            "SOMETHING_NEW"
        );
    }

    #[test]
    fn global_types_off_is_noted_not_failed() {
        let local = ConfigRecorder {
            include_global_resource_types: false,
            ..recorder()
        };
        let finding = grade(vec![local], vec![status(true, Some("SUCCESS"))]);
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("global resource types"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn any_complete_recorder_covers_the_region() {
        let service_linked = ConfigRecorder {
            name: "AWSConfigurationRecorderForSomething".into(),
            all_supported: false,
            recording_strategy: Some("INCLUSION_BY_RESOURCE_TYPES".into()),
            resource_types: vec!["AWS::EC2::Instance".into()],
            ..recorder()
        };
        let mut linked_status = status(true, Some("SUCCESS"));
        linked_status.name = service_linked.name.clone();
        let finding = grade(
            vec![service_linked, recorder()],
            vec![linked_status, status(true, Some("SUCCESS"))],
        );
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_id, "default");
    }

    #[test]
    fn error_when_either_source_failed() {
        let mut region = compliant_region();
        region.config_service.recorders =
            Source::Failed(failure("config", "DescribeConfigurationRecorders"));
        let finding = only_finding(evaluate(&CHECK, region.clone()));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);

        region.config_service.recorder_statuses =
            Source::Failed(failure("config", "DescribeConfigurationRecorderStatus"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding
                .message
                .contains("DescribeConfigurationRecorderStatus"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("DescribeConfigurationRecorders"),
            "{}",
            finding.message
        );
    }
}
