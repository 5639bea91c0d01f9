//! cw-alarm-cloudtrail-changes: CloudTrail configuration changes reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for CloudTrail configuration changes.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::CloudTrailChanges;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-cloudtrail-changes",
    title: "CloudTrail configuration changes raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.312(b)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Audit controls (164.312(b)) are only as good as the trail: \
        stopping, deleting or redirecting it is how an intruder covers their tracks. A metric \
        filter on the CloudWatch Logs group of a logging multi-region trail must match \
        CreateTrail, UpdateTrail, DeleteTrail, StartLogging and StopLogging, and a CloudWatch \
        alarm on its metric must notify someone (seed 003: \"changes to CloudTrail log \
        configuration detected\"; seed 004: protect logs so nobody can cover their tracks).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for CloudTrail configuration changes \
            (CIS pattern) to the trail's CloudWatch Logs group, and an alarm on its metric that \
            notifies an SNS topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name CloudTrailChanges, namespace \
            CISBenchmark, metric name CloudTrailChanges, metric value 1 > Create; then select the \
            filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify an \
            SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? Fix \
            cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name CloudTrailChanges --metric-transformations metricName=CloudTrailChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'\n\
              aws cloudwatch put-metric-alarm --alarm-name CloudTrailChanges --metric-name CloudTrailChanges --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "CloudTrailChangesFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }', MetricTransformations: [{MetricName: CloudTrailChanges, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         CloudTrailChangesAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: CloudTrailChanges, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade(ctx, &META, CLASS)
}

#[cfg(test)]
mod tests {
    /// Filter sets that cover the class (each set is the only filters on the log group).
    const ACCEPTED: &[&[&str]] = &[
        // the CIS pattern
        &[
            r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
        ],
        // under an eventSource condition
        &[
            r#"{ $.eventSource = cloudtrail.amazonaws.com && ($.eventName = CreateTrail || $.eventName = UpdateTrail || $.eventName = DeleteTrail || $.eventName = StartLogging || $.eventName = StopLogging) }"#,
        ],
        // wildcards
        &[r#"{ ($.eventName = "*Trail") || ($.eventName = "*Logging") }"#],
        // split over two filters
        &[
            r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }"#,
            r#"{ ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
        ],
        // widened to every CloudTrail event
        &[r#"{ $.eventSource = "cloudtrail.amazonaws.com" }"#],
        // reversed, no spaces
        &[
            r#"{($.eventName=StopLogging)||($.eventName=StartLogging)||($.eventName=DeleteTrail)||($.eventName=UpdateTrail)||($.eventName=CreateTrail)}"#,
        ],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // misses StartLogging
        &[
            r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StopLogging) }"#,
        ],
        // typo'd StopLogging
        &[
            r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLoging) }"#,
        ],
        // read-only events only
        &[r#"{ $.eventSource = cloudtrail.amazonaws.com && $.readOnly IS TRUE }"#],
        // misses Start/StopLogging
        &[r#"{ $.eventName = "*Trail" }"#],
        // && binds tighter: StopLogging only for root
        &[
            r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) && ($.userIdentity.type = "Root") }"#,
        ],
        // wrong field
        &[r#"{ $.requestParameters.trailName EXISTS }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
