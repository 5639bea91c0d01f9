//! rds-plaintext-connection-alarm: a metric filter on the database's PostgreSQL log group matches
//! connections authorized without SSL, and an alarm with an action watches it (seed 000/001's
//! detective control).

use serde_json::json;

use super::{effective_parameter, grade_targets, DbTarget, EngineFamily, TargetKind};
use super::{CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::logging::alarms::{
    alarm_notifies, filters_on, list, log_sources, plural, FilterAssessment,
};
use crate::snapshot::RegionSnapshot;

/// The check: plaintext PostgreSQL connections raise a CloudWatch alarm with an action.
pub const CHECK: Check = Check { meta: META, run };

/// The seed's filter pattern.
pub const PLAINTEXT_PATTERN: &str = r#""connection authorized" -"SSL enabled""#;

const META: CheckMeta = CheckMeta {
    id: "rds-plaintext-connection-alarm",
    title: "Plaintext database connections raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.312(b)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Forcing TLS is the preventive control; the detective control (seed 000/001) \
        tells someone when a client connects without it anyway. With log_connections on, \
        PostgreSQL logs every \"connection authorized\" line and appends \"SSL enabled (...)\" \
        for TLS sessions. The database's log group (/aws/rds/cluster/<id>/postgresql, or \
        /aws/rds/instance/<id>/postgresql) must receive the exported postgresql log and carry a \
        metric filter that matches plaintext connection lines but not TLS ones, with a \
        CloudWatch alarm on its metric that has an action. Applies to the PostgreSQL family \
        (aurora-postgresql, postgres).",
    evidence: &[
        "rds:DescribeDBClusters / DescribeDBInstances (Engine, EnabledCloudwatchLogsExports)",
        "logs:DescribeMetricFilters (filters on the database's postgresql log group)",
        "cloudwatch:DescribeAlarms (alarms on those metrics, ActionsEnabled, AlarmActions)",
        "rds:DescribeDBClusterParameters / DescribeDBParameters log_connections (when collected)",
    ],
    remediation: Remediation {
        summary: "Export the postgresql log, turn log_connections on, and add the metric filter \
            \"connection authorized\" -\"SSL enabled\" with an alarm that notifies an SNS topic.",
        console: "RDS > Databases > select the cluster > Modify > Log exports: tick PostgreSQL log \
            > Apply. In the cluster parameter group set log_connections = 1. Then CloudWatch > Logs \
            > Log groups > /aws/rds/cluster/<id>/postgresql > Metric filters > Create metric \
            filter > pattern \"connection authorized\" -\"SSL enabled\" > namespace rds/postgres, \
            metric plaintext_connection, value 1 > Create; select the filter > Create alarm > Sum \
            >= 1 over 1 minute, treat missing data as not breaching > notify an SNS topic.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"postgresql\"]}' --apply-immediately\n\
              aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name <group> --parameters ParameterName=log_connections,ParameterValue=1,ApplyMethod=immediate\n\
              aws logs put-metric-filter --log-group-name /aws/rds/cluster/<id>/postgresql --filter-name plaintext-connection --metric-transformations metricName=plaintext_connection,metricNamespace=rds/postgres,metricValue=1 --filter-pattern '\"connection authorized\" -\"SSL enabled\"'\n\
              aws cloudwatch put-metric-alarm --alarm-name <id>-plaintext-connection --metric-name plaintext_connection --namespace rds/postgres --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>\n\
              (standalone instance: aws rds modify-db-instance --db-instance-identifier <id> ..., log group /aws/rds/instance/<id>/postgresql)",
        cloudformation: "AWS::RDS::DBCluster: EnableCloudwatchLogsExports: [postgresql]; \
            AWS::RDS::DBClusterParameterGroup: Parameters: {log_connections: 1}\n\
            PlaintextMetricFilter: Type: AWS::Logs::MetricFilter, Properties: FilterPattern: \
            '\"connection authorized\" -\"SSL enabled\"', LogGroupName: \
            /aws/rds/cluster/<id>/postgresql, MetricTransformations: [{MetricName: \
            plaintext_connection, MetricNamespace: rds/postgres, MetricValue: '1'}]\n\
            PlaintextConnectionAlarm: Type: AWS::CloudWatch::Alarm, Properties: MetricName: \
            plaintext_connection, Namespace: rds/postgres, Statistic: Sum, Period: 60, \
            EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: \
            GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: \
            [!Ref AlertTopic]",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// Representative PostgreSQL `log_connections` lines (RDS log_line_prefix `%t:%r:%u@%d:[%p]:`).
/// A filter must match every plaintext line and no TLS line.
const PLAINTEXT_LINES: [(&str, &str); 2] = [
    (
        "plaintext line with application_name (PostgreSQL 13+)",
        "2026-11-25 12:00:00 UTC:10.0.1.15(53412):app@patients:[2817]:LOG:  connection authorized: user=app database=patients application_name=psql",
    ),
    (
        "plaintext line without application_name",
        "2026-11-25 12:00:01 UTC:10.0.1.16(53418):etl@patients:[2820]:LOG:  connection authorized: user=etl database=patients",
    ),
];

/// TLS connection lines a filter must not match.
const TLS_LINES: [(&str, &str); 2] = [
    (
        "TLSv1.3 line",
        "2026-11-25 12:00:00 UTC:10.0.1.15(53412):app@patients:[2817]:LOG:  connection authorized: user=app database=patients application_name=psql SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
    ),
    (
        "TLSv1.2 line without application_name",
        "2026-11-25 12:00:01 UTC:10.0.1.16(53418):etl@patients:[2820]:LOG:  connection authorized: user=etl database=patients SSL enabled (protocol=TLSv1.2, cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256, compression=off)",
    ),
];

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, grade)
}

/// The log group RDS exports a target's postgresql log to.
fn log_group(target: &DbTarget) -> String {
    match target.kind {
        TargetKind::Cluster => format!("/aws/rds/cluster/{}/postgresql", target.id),
        TargetKind::Instance => format!("/aws/rds/instance/{}/postgresql", target.id),
    }
}

fn grade(target: &DbTarget, region: &RegionSnapshot) -> Verdict {
    let subject = format!("{} {}", target.noun(), target.id);
    if target.family() != EngineFamily::Postgres {
        return Verdict::not_applicable(
            format!(
                "engine {} does not write PostgreSQL connection lines; the plaintext-connection \
                 alarm applies to the PostgreSQL family (aurora-postgresql, postgres)",
                target.engine
            ),
            json!({ "Engine": target.engine }),
        );
    }
    let group = log_group(target);
    if !target.log_exports.iter().any(|l| l == "postgresql") {
        return Verdict::fail(
            format!(
                "{subject} does not export its postgresql log to CloudWatch Logs, so no metric \
                 filter can see plaintext connections; enable the postgresql log export, then add \
                 the filter {PLAINTEXT_PATTERN} on {group} with an alarm"
            ),
            json!({
                "Engine": target.engine,
                "EnabledCloudwatchLogsExports": target.log_exports,
                "LogGroup": group,
            }),
        );
    }
    let (filters, alarms) = match log_sources(region, &group) {
        Ok(sources) => sources,
        Err(verdict) => return verdict,
    };
    let log_connections = effective_parameter(target, region, "log_connections").ok();
    let log_connections_evidence = match &log_connections {
        Some(p) => json!({ "Value": p.value, "DecidedBy": p.origin }),
        None => json!("not determined (parameter group or engine defaults not collected)"),
    };
    let assessed: Vec<FilterAssessment> = filters_on(filters, &group)
        .into_iter()
        .map(|f| FilterAssessment::new(f, alarms))
        .collect();
    let plaintext_hits = |a: &FilterAssessment| -> Vec<bool> {
        PLAINTEXT_LINES
            .iter()
            .map(|(_, line)| a.matches_text(line))
            .collect()
    };
    let tls_hits = |a: &FilterAssessment| -> Vec<&'static str> {
        TLS_LINES
            .iter()
            .filter(|(_, line)| a.matches_text(line))
            .map(|(label, _)| *label)
            .collect()
    };
    let evidence = || {
        json!({
            "Engine": target.engine,
            "LogGroup": group,
            "log_connections": log_connections_evidence,
            "Filters": assessed.iter().map(|a| {
                let matched: Vec<&str> = PLAINTEXT_LINES
                    .iter()
                    .zip(plaintext_hits(a))
                    .filter(|(_, hit)| *hit)
                    .map(|((label, _), _)| *label)
                    .chain(tls_hits(a))
                    .collect();
                a.evidence(&matched)
            }).collect::<Vec<_>>(),
        })
    };
    // A filter that also fires on TLS connections is noise, not detection.
    let precise = |a: &FilterAssessment| tls_hits(a).is_empty();
    let covered: Vec<bool> = (0..PLAINTEXT_LINES.len())
        .map(|i| {
            assessed
                .iter()
                .any(|a| a.works() && precise(a) && plaintext_hits(a)[i])
        })
        .collect();

    if covered.iter().all(|c| *c) {
        let used: Vec<&FilterAssessment> = assessed
            .iter()
            .filter(|a| a.works() && precise(a) && plaintext_hits(a).iter().any(|h| *h))
            .collect();
        let filter_names: Vec<&str> = used.iter().map(|a| a.filter.name.as_str()).collect();
        let mut alarm_names: Vec<&str> = used
            .iter()
            .flat_map(|a| a.alarms.iter())
            .filter(|a| alarm_notifies(a))
            .map(|a| a.name.as_str())
            .collect();
        alarm_names.sort_unstable();
        alarm_names.dedup();
        if let Some(off) = log_connections.as_ref().filter(|p| {
            p.value.as_deref().is_some_and(|v| {
                ["0", "off", "false"]
                    .iter()
                    .any(|off| v.trim().eq_ignore_ascii_case(off))
            })
        }) {
            return Verdict::fail(
                format!(
                    "{subject}: filter {} on {group} would catch plaintext connections, but \
                     log_connections is off ({} from {}), so PostgreSQL never logs them and the \
                     alarm cannot fire; set log_connections = 1",
                    list(&filter_names),
                    off.value.as_deref().unwrap_or_default(),
                    off.origin
                ),
                evidence(),
            );
        }
        // The requirement is the filter and its alarm; log_connections is a precondition
        // this check can only sometimes read, so an unreadable value is named, not guessed.
        let caveat = if log_connections.is_none() {
            "; log_connections could not be read (parameter group or engine defaults not \
             collected): make sure it is 1, or PostgreSQL logs no connections"
        } else {
            ""
        };
        return Verdict::pass(
            format!(
                "{subject}: plaintext connections on {group} are alarmed: filter{} {}, watched by \
                 alarm{} {} with notification actions{caveat}",
                plural(filter_names.len()),
                list(&filter_names),
                plural(alarm_names.len()),
                list(&alarm_names)
            ),
            evidence(),
        );
    }

    let mut parts = Vec::new();
    let pattern_problems: Vec<String> = assessed
        .iter()
        .filter_map(FilterAssessment::pattern_problem)
        .collect();
    let any_plaintext = assessed
        .iter()
        .any(|a| plaintext_hits(a).iter().any(|h| *h));
    if assessed.is_empty() {
        parts.push(format!("{group} has no metric filter"));
    } else if !any_plaintext {
        parts.push(format!(
            "no metric filter on {group} matches a plaintext \"connection authorized\" line"
        ));
    } else {
        for a in &assessed {
            let hits = plaintext_hits(a);
            let helps = hits.iter().zip(&covered).any(|(hit, done)| *hit && !*done);
            if !helps {
                continue;
            }
            let tls = tls_hits(a);
            if !tls.is_empty() {
                parts.push(format!(
                    "filter {} also matches TLS connections ({}) and would alarm on every TLS \
                     connection; exclude them with -\"SSL enabled\"",
                    a.filter.name,
                    list(&tls)
                ));
            } else if let Some(problem) = a.alarm_problem() {
                parts.push(problem);
            }
        }
        // Lines no filter matches at all (noisy filters were named above).
        let missed: Vec<&str> = PLAINTEXT_LINES
            .iter()
            .enumerate()
            .filter(|(i, _)| !assessed.iter().any(|a| plaintext_hits(a)[*i]))
            .map(|(_, (label, _))| *label)
            .collect();
        if !missed.is_empty() {
            parts.push(format!("no metric filter matches the {}", list(&missed)));
        }
    }
    parts.extend(pattern_problems);
    Verdict::fail(
        format!(
            "{subject}: plaintext connections are not alarmed: {}; add the filter \
             {PLAINTEXT_PATTERN} with an alarm that has an action",
            parts.join("; ")
        ),
        evidence(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::logging::filter_pattern;
    use crate::rds::fixtures::*;
    use crate::snapshot::{
        DbCluster, DbInstance, MetricAlarm, MetricFilter, MetricRef, Parameter, ParameterGroup,
        Source,
    };

    const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:db-alerts";

    fn metric(n: usize) -> MetricRef {
        MetricRef {
            namespace: "rds/postgres".into(),
            name: format!("plaintext_connection_{n}"),
        }
    }

    fn notifying_alarm(n: usize) -> MetricAlarm {
        MetricAlarm {
            name: format!("plaintext-{n}"),
            arn: format!("arn:aws:cloudwatch:us-east-1:111122223333:alarm:plaintext-{n}"),
            metrics: vec![metric(n)],
            actions_enabled: true,
            alarm_actions: vec![TOPIC.into()],
            state: Some("OK".into()),
        }
    }

    /// The compliant RDS region with `patterns` as filters on `group`, each alarmed.
    fn region_with(group: &str, patterns: &[&str]) -> RegionSnapshot {
        let mut region = compliant_region();
        region.logs.metric_filters = Source::Collected(
            patterns
                .iter()
                .enumerate()
                .map(|(n, p)| MetricFilter {
                    name: format!("plaintext-filter-{n}"),
                    log_group_name: group.into(),
                    pattern: (*p).into(),
                    metrics: vec![metric(n)],
                })
                .collect(),
        );
        region.cloudwatch.alarms =
            Source::Collected((0..patterns.len()).map(notifying_alarm).collect());
        region
    }

    const PG_MAIN: &str = "/aws/rds/cluster/pg-main/postgresql";

    fn grade_pg_main(patterns: &[&str]) -> Finding {
        let findings = evaluate(&CHECK, region_with(PG_MAIN, patterns));
        finding_for(&findings, "pg-main").clone()
    }

    const ACCEPTED: &[&[&str]] = &[
        // The seed's pattern.
        &[PLAINTEXT_PATTERN],
        // Extra spacing.
        &[r#"  "connection authorized"     -"SSL enabled"  "#],
        // Reordered terms.
        &[r#"-"SSL enabled" "connection authorized""#],
        // Unquoted words: AND of terms, wider exclusion.
        &["connection authorized -SSL"],
        // Split over two filters by application_name.
        &[
            r#""connection authorized" "application_name" -"SSL enabled""#,
            r#""connection authorized" -"application_name" -"SSL""#,
        ],
        // Widened terms.
        &[r#""authorized" -"enabled""#],
    ];

    const REJECTED: &[&[&str]] = &[
        // Also matches TLS connections.
        &[r#""connection authorized""#],
        // Inverted: matches only TLS connections.
        &[r#""SSL enabled""#],
        // Case typo.
        &[r#""Connection Authorized" -"SSL enabled""#],
        // Excludes only TLS 1.3: TLS 1.2 connections still alarm.
        &[r#""connection authorized" -"TLSv1.3""#],
        // An exclusion that drops the application_name variant.
        &[r#""connection authorized" -"SSL enabled" -"psql""#],
        // OR terms: matches TLS lines too.
        &[r#"?"connection authorized" ?"SSL enabled""#],
        // A JSON pattern never matches PostgreSQL's text log.
        &[r#"{ $.message = "*connection authorized*" }"#],
        // The wrong log line.
        &[r#""connection received" -"SSL enabled""#],
    ];

    #[test]
    fn accepted_patterns_pass() {
        for set in ACCEPTED {
            for p in *set {
                assert!(filter_pattern::parse(p).is_ok(), "{p}");
            }
            let finding = grade_pg_main(set);
            assert_eq!(finding.status, Status::Pass, "{set:?}: {}", finding.message);
        }
    }

    #[test]
    fn rejected_patterns_fail() {
        for set in REJECTED {
            for p in *set {
                assert!(filter_pattern::parse(p).is_ok(), "{p}");
            }
            let finding = grade_pg_main(set);
            assert_eq!(finding.status, Status::Fail, "{set:?}: {}", finding.message);
        }
    }

    #[test]
    fn pass_names_filter_and_alarm() {
        let finding = grade_pg_main(&[PLAINTEXT_PATTERN]);
        assert!(
            finding.message.contains("plaintext-filter-0"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("plaintext-0"),
            "{}",
            finding.message
        );
        assert_eq!(finding.evidence["LogGroup"], PG_MAIN);
        assert_eq!(
            finding.evidence["Filters"][0]["Alarms"][0]["AlarmActions"][0],
            TOPIC
        );
    }

    #[test]
    fn a_filter_matching_tls_lines_fails_as_noise() {
        let finding = grade_pg_main(&[r#""connection authorized""#]);
        assert!(
            finding
                .message
                .contains("would alarm on every TLS connection"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn a_precise_filter_passes_beside_a_noisy_one() {
        let finding = grade_pg_main(&[r#""connection authorized""#, PLAINTEXT_PATTERN]);
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(finding.message.contains("plaintext-filter-1"));
    }

    #[test]
    fn missing_variant_is_named() {
        let finding = grade_pg_main(&[r#""connection authorized" -"SSL enabled" -"psql""#]);
        assert!(
            finding
                .message
                .contains("no metric filter matches the plaintext line with application_name"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_without_log_export() {
        let mut region = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        region.rds.clusters = Source::Collected(vec![DbCluster {
            enabled_cloudwatch_logs_exports: vec![],
            ..pg_cluster("pg-main")
        }]);
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-main");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding
                .message
                .contains("does not export its postgresql log"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_without_filter_alarm_or_action() {
        let finding = grade_pg_main(&[]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("has no metric filter"),
            "{}",
            finding.message
        );

        let mut no_alarm = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        no_alarm.cloudwatch.alarms = Source::Collected(vec![]);
        let findings = evaluate(&CHECK, no_alarm);
        let finding = finding_for(&findings, "pg-main");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no CloudWatch alarm watches"),
            "{}",
            finding.message
        );

        let mut no_action = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        no_action.cloudwatch.alarms = Source::Collected(vec![MetricAlarm {
            alarm_actions: vec![],
            ..notifying_alarm(0)
        }]);
        let findings = evaluate(&CHECK, no_action);
        let finding = finding_for(&findings, "pg-main");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no alarm actions"),
            "{}",
            finding.message
        );

        let mut disabled = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        disabled.cloudwatch.alarms = Source::Collected(vec![MetricAlarm {
            actions_enabled: false,
            ..notifying_alarm(0)
        }]);
        let findings = evaluate(&CHECK, disabled);
        assert!(finding_for(&findings, "pg-main")
            .message
            .contains("actions disabled"));
    }

    #[test]
    fn filter_on_another_cluster_log_group_does_not_count() {
        let findings = evaluate(
            &CHECK,
            region_with("/aws/rds/cluster/other/postgresql", &[PLAINTEXT_PATTERN]),
        );
        assert_eq!(status_of(&findings, "pg-main"), Status::Fail);
    }

    #[test]
    fn unparseable_filter_is_named() {
        let finding = grade_pg_main(&["[date, time, msg=\"*connection authorized*\"]"]);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("unsupported pattern form"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn mysql_is_not_applicable_and_instances_use_their_own_group() {
        let findings = evaluate(
            &CHECK,
            region_with("/aws/rds/instance/pg-solo/postgresql", &[PLAINTEXT_PATTERN]),
        );
        assert_eq!(status_of(&findings, "my-main"), Status::NotApplicable);
        assert_eq!(status_of(&findings, "pg-solo"), Status::Pass);
        assert_eq!(status_of(&findings, "pg-main"), Status::Fail);
        let solo = finding_for(&findings, "pg-solo");
        assert_eq!(solo.resource_type, INSTANCE_TYPE);
        // Cluster members are graded through their cluster.
        assert!(findings.iter().all(|f| f.resource_id != "pg-main-1"));
    }

    #[test]
    fn standalone_instance_without_export_fails() {
        let mut region = region_with("/aws/rds/instance/pg-solo/postgresql", &[PLAINTEXT_PATTERN]);
        region.rds.instances = Source::Collected(vec![DbInstance {
            enabled_cloudwatch_logs_exports: vec!["upgrade".into()],
            ..standalone_instance("pg-solo")
        }]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "pg-solo"), Status::Fail);
    }

    #[test]
    fn log_connections_off_fails_when_known() {
        let mut region = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "pg-hardened".into(),
                family: Some("aurora-postgresql15".into()),
                parameters: vec![Parameter {
                    name: "log_connections".into(),
                    value: Some("0".into()),
                    source: Some("user".into()),
                }],
            }),
        );
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-main");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("log_connections is off"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_filters_alarms_or_listing_failed() {
        let mut region = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        region.logs.metric_filters = Source::Failed(failure("DescribeMetricFilters"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "pg-main"), Status::Error);
        // The MySQL cluster does not need the evidence.
        assert_eq!(status_of(&findings, "my-main"), Status::NotApplicable);

        let mut region = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        region.cloudwatch.alarms = Source::Failed(failure("DescribeAlarms"));
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "pg-main");
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeAlarms"),
            "{}",
            finding.message
        );

        let mut region = region_with(PG_MAIN, &[PLAINTEXT_PATTERN]);
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, REGION), Status::Error);
    }

    #[test]
    fn fixture_pattern_and_remediation_agree() {
        assert_eq!(
            PLAINTEXT_PATTERN,
            crate::logging::fixtures::PLAINTEXT_PATTERN
        );
        assert!(META
            .remediation
            .cli
            .contains("--filter-pattern '\"connection authorized\" -\"SSL enabled\"'"));
        assert!(META.remediation.cli.contains("log_connections"));
    }
}
