//! Hand-built snapshots for the logging checks' unit tests: a compliant account to mutate.

use std::collections::BTreeMap;

use crate::catalog::Check;
use crate::config::Config;
use crate::finding::{Finding, Status};
use crate::snapshot::*;
pub use crate::testing::{evaluate_snapshot, finding_for, only_finding, snapshot_of, status_of};

pub const REGION: &str = "us-east-1";
pub use crate::testing::ACCOUNT;
pub const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management";
pub const TRAIL_BUCKET: &str = "cloudtrail-logs-111122223333";
pub const LOG_GROUP: &str = "cloudtrail/management";
pub const LOG_GROUP_ARN: &str =
    "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail/management:*";
pub const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/cmk-1";
pub const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:security-alarms";

/// The CIS benchmark filter patterns, by metric name, as AWS's and CIS's guides print them.
pub const CIS_PATTERNS: &[(&str, &str)] = &[
    (
        "UnauthorizedAPICalls",
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    ),
    (
        "ConsoleSigninFailures",
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    ),
    (
        "ConsoleSigninWithoutMFA",
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    ),
    (
        "RootAccountUsage",
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    ),
    (
        "IAMPolicyChanges",
        r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
    ),
    (
        "AccessKeyCreated",
        r#"{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateAccessKey) }"#,
    ),
    (
        "CloudTrailChanges",
        r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
    ),
    (
        "SecurityGroupChanges",
        r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
    ),
    (
        "NACLChanges",
        r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
    ),
];

/// The seed-000 plaintext-connection pattern.
pub const PLAINTEXT_PATTERN: &str = r#""connection authorized" -"SSL enabled""#;

/// A failed call.
pub fn failure(service: &str, operation: &str) -> Failure {
    Failure::new(service, operation, REGION, "AccessDenied", "not authorized")
}

/// A compliant multi-region trail homed in [`REGION`].
pub fn trail() -> Trail {
    Trail {
        name: "management".into(),
        arn: TRAIL_ARN.into(),
        home_region: REGION.into(),
        is_multi_region: true,
        is_organization_trail: false,
        log_file_validation_enabled: true,
        kms_key_id: Some(KEY_ARN.into()),
        s3_bucket_name: Some(TRAIL_BUCKET.into()),
        cloud_watch_logs_log_group_arn: Some(LOG_GROUP_ARN.into()),
        status: Some(Source::Collected(TrailStatus {
            is_logging: true,
            latest_delivery_error: None,
        })),
        event_selectors: Some(Source::Collected(EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some("All".into()),
                include_management_events: Some(true),
                exclude_management_event_sources: vec![],
            }],
            advanced: vec![],
        })),
    }
}

/// A metric filter on `log_group` publishing `CISBenchmark/<metric>`.
pub fn metric_filter(log_group: &str, metric: &str, pattern: &str) -> MetricFilter {
    MetricFilter {
        name: format!("{metric}-filter"),
        log_group_name: log_group.into(),
        pattern: pattern.into(),
        metrics: vec![metric_ref(metric)],
    }
}

/// `CISBenchmark/<metric>`.
pub fn metric_ref(metric: &str) -> MetricRef {
    MetricRef {
        namespace: "CISBenchmark".into(),
        name: metric.into(),
    }
}

/// An alarm on `CISBenchmark/<metric>` notifying the security topic.
pub fn alarm(metric: &str) -> MetricAlarm {
    MetricAlarm {
        name: format!("{metric}-alarm"),
        arn: format!("arn:aws:cloudwatch:us-east-1:111122223333:alarm:{metric}-alarm"),
        metrics: vec![metric_ref(metric)],
        actions_enabled: true,
        alarm_actions: vec![TOPIC_ARN.into()],
        state: Some("OK".into()),
    }
}

/// The seven default required rules, deployed as AWS managed rules under custom names.
pub fn required_rules() -> Vec<ConfigRule> {
    Config::default()
        .required_config_rules
        .iter()
        .map(|identifier| ConfigRule {
            name: format!("hipaa-{}", identifier.to_lowercase().replace('_', "-")),
            arn: format!(
                "arn:aws:config:us-east-1:111122223333:config-rule/config-rule-{identifier}"
            ),
            owner: "AWS".into(),
            source_identifier: Some(identifier.clone()),
            state: Some("ACTIVE".into()),
        })
        .collect()
}

/// A compliant region: trail, filters + alarms for every CIS class, recorder, rules, GuardDuty.
pub fn compliant_region() -> RegionSnapshot {
    let rules = required_rules();
    let compliance = rules
        .iter()
        .map(|r| ConfigRuleCompliance {
            rule_name: r.name.clone(),
            compliance_type: "COMPLIANT".into(),
            non_compliant_resources: None,
        })
        .collect();
    RegionSnapshot {
        cloudtrail: CloudTrailSnapshot {
            trails: Source::Collected(vec![trail()]),
        },
        config_service: ConfigServiceSnapshot {
            recorders: Source::Collected(vec![ConfigRecorder {
                name: "default".into(),
                all_supported: true,
                include_global_resource_types: true,
                recording_strategy: Some("ALL_SUPPORTED_RESOURCE_TYPES".into()),
                excluded_resource_types: vec![],
                resource_types: vec![],
            }]),
            recorder_statuses: Source::Collected(vec![ConfigRecorderStatus {
                name: "default".into(),
                recording: true,
                last_status: Some("SUCCESS".into()),
            }]),
            rules: Source::Collected(rules),
            compliance: Source::Collected(compliance),
            discovered_resource_counts: None,
        },
        logs: LogsSnapshot {
            metric_filters: Source::Collected(
                CIS_PATTERNS
                    .iter()
                    .map(|(metric, pattern)| metric_filter(LOG_GROUP, metric, pattern))
                    .collect(),
            ),
        },
        cloudwatch: CloudWatchSnapshot {
            alarms: Source::Collected(
                CIS_PATTERNS
                    .iter()
                    .map(|(metric, _)| alarm(metric))
                    .collect(),
            ),
        },
        guardduty: GuardDutySnapshot {
            detectors: Source::Collected(vec![GuardDutyDetector {
                id: "detector-1".into(),
                status: "ENABLED".into(),
                features: BTreeMap::from([("RDS_LOGIN_EVENTS".to_owned(), "ENABLED".to_owned())]),
            }]),
        },
        ..RegionSnapshot::default()
    }
}

/// The trail's bucket: private, access-logged, versioned.
pub fn protected_bucket(name: &str) -> Bucket {
    Bucket {
        name: name.into(),
        region: Source::Collected(REGION.into()),
        versioning: Source::Collected(BucketVersioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        logging_target: Source::Collected(Some("access-logs-111122223333".into())),
        public_access_block: Source::Collected(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        })),
        policy: Source::Collected(None),
        object_lock: Source::Collected(None),
        encryption: Source::Collected(Some(BucketEncryption {
            algorithms: vec!["aws:kms".into()],
            kms_key_ids: vec![KEY_ARN.into()],
        })),
    }
}

/// Account-wide evidence: the trail bucket.
pub fn compliant_global() -> GlobalSnapshot {
    GlobalSnapshot {
        s3: S3Snapshot {
            buckets: Source::Collected(vec![protected_bucket(TRAIL_BUCKET)]),
            account_public_access_block: Source::Collected(None),
        },
        ..GlobalSnapshot::default()
    }
}

/// Runs one check over one region (plus the compliant global evidence) with the default config.
pub fn evaluate(check: &Check, region: RegionSnapshot) -> Vec<Finding> {
    evaluate_snapshot(
        check,
        &snapshot_of(vec![(REGION, region)], compliant_global()),
        &Config::default(),
    )
}

/// The compliant region with its trail listing replaced.
pub fn with_trails(trails: Vec<Trail>) -> RegionSnapshot {
    let mut region = compliant_region();
    region.cloudtrail.trails = Source::Collected(trails);
    region
}

/// A shadow copy of `trail`, as another region lists it (no status, no selectors).
pub fn shadow_copy(trail: &Trail) -> Trail {
    Trail {
        status: None,
        event_selectors: None,
        ..trail.clone()
    }
}

/// An organization trail owned by the management account 999999999999, homed in [`REGION`].
pub fn org_trail() -> Trail {
    Trail {
        name: "org-trail".into(),
        arn: "arn:aws:cloudtrail:us-east-1:999999999999:trail/org-trail".into(),
        is_organization_trail: true,
        s3_bucket_name: Some("org-log-archive".into()),
        ..trail()
    }
}

/// A GuardDuty detector with the given status and features.
pub fn detector(id: &str, status: &str, features: &[(&str, &str)]) -> GuardDutyDetector {
    GuardDutyDetector {
        id: id.into(),
        status: status.into(),
        features: features
            .iter()
            .map(|(name, state)| ((*name).to_owned(), (*state).to_owned()))
            .collect(),
    }
}

/// Account-wide evidence holding exactly these buckets.
pub fn global_with_buckets(buckets: Vec<Bucket>) -> GlobalSnapshot {
    GlobalSnapshot {
        s3: S3Snapshot {
            buckets: Source::Collected(buckets),
            account_public_access_block: Source::Collected(None),
        },
        ..GlobalSnapshot::default()
    }
}

/// The compliant region with its metric filters and alarms replaced: one filter per pattern on
/// the trail's log group (`filter-<n>`, metric `Custom/metric-<n>`), each with an alarm that
/// notifies the security topic.
pub fn region_with_patterns(patterns: &[&str]) -> RegionSnapshot {
    let filters = patterns
        .iter()
        .enumerate()
        .map(|(i, pattern)| MetricFilter {
            name: format!("filter-{i}"),
            log_group_name: LOG_GROUP.into(),
            pattern: (*pattern).into(),
            metrics: vec![custom_metric(i)],
        })
        .collect();
    let alarms = (0..patterns.len())
        .map(|i| MetricAlarm {
            metrics: vec![custom_metric(i)],
            ..alarm(&format!("metric-{i}"))
        })
        .collect();
    RegionSnapshot {
        logs: LogsSnapshot {
            metric_filters: Source::Collected(filters),
        },
        cloudwatch: CloudWatchSnapshot {
            alarms: Source::Collected(alarms),
        },
        ..compliant_region()
    }
}

/// `Custom/metric-<n>`.
pub fn custom_metric(n: usize) -> MetricRef {
    MetricRef {
        namespace: "Custom".into(),
        name: format!("metric-{n}"),
    }
}

/// The one finding a check yields over [`region_with_patterns`]; panics (failing the test) when
/// there is not exactly one.
pub fn grade_patterns(check: &Check, patterns: &[&str]) -> Finding {
    let mut findings = evaluate(check, region_with_patterns(patterns));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    findings.remove(0)
}

/// Asserts every set of patterns parses and gets `expected` from `check`, naming the set that
/// does not.
pub fn assert_pattern_sets(check: &Check, sets: &[&[&str]], expected: Status) {
    for set in sets {
        for pattern in *set {
            if let Err(e) = crate::logging::filter_pattern::parse(pattern) {
                panic!("{}: pattern {pattern} does not parse: {e}", check.meta.id);
            }
        }
        let finding = grade_patterns(check, set);
        assert_eq!(
            finding.status, expected,
            "{}: patterns {set:#?} gave {}: {}",
            check.meta.id, finding.status, finding.message
        );
    }
}

/// The four tests every `cw-alarm-*` check shares, over the `ACCEPTED` and `REJECTED` pattern
/// sets its test module defines: accepted sets pass, rejected sets fail, the compliant account
/// passes on the trail's log group, and the remediation carries the CIS pattern and metric.
macro_rules! alarm_check_tests {
    () => {
        #[test]
        fn accepted_patterns_pass() {
            $crate::logging::fixtures::assert_pattern_sets(
                &super::CHECK,
                ACCEPTED,
                $crate::finding::Status::Pass,
            );
        }

        #[test]
        fn rejected_patterns_fail() {
            $crate::logging::fixtures::assert_pattern_sets(
                &super::CHECK,
                REJECTED,
                $crate::finding::Status::Fail,
            );
        }

        #[test]
        fn compliant_account_passes_on_the_log_group() {
            use $crate::logging::fixtures::*;
            let findings = evaluate(&super::CHECK, compliant_region());
            let finding = finding_for(&findings, LOG_GROUP);
            assert_eq!(
                finding.status,
                $crate::finding::Status::Pass,
                "{}",
                finding.message
            );
            assert_eq!(finding.region, REGION);
            assert_eq!(finding.resource_type, $crate::logging::LOG_GROUP_TYPE);
            assert_eq!(finding.resource_arn.as_deref(), Some(LOG_GROUP_ARN));
        }

        #[test]
        fn remediation_carries_the_cis_pattern() {
            let remediation = &super::CHECK.meta.remediation;
            assert!(remediation.cli.contains(super::CLASS.cis_pattern()));
            assert!(remediation
                .cloudformation
                .contains(super::CLASS.cis_pattern()));
            assert!(remediation.cli.contains(super::CLASS.cis_metric()));
            assert!($crate::logging::fixtures::CIS_PATTERNS
                .contains(&(super::CLASS.cis_metric(), super::CLASS.cis_pattern())));
        }
    };
}
pub(crate) use alarm_check_tests;
