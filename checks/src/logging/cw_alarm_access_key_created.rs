//! cw-alarm-access-key-created: new IAM access keys reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for new IAM access keys.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::AccessKeyCreated;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-access-key-created",
    title: "New IAM access keys raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(4)(ii)(C)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "A new access key is a new long-lived credential, and the \
        usual way an intruder keeps access (164.308(a)(4)(ii)(C) access modification). A \
        metric filter on the CloudWatch Logs group of a logging multi-region trail must match \
        iam:CreateAccessKey, whether an administrator creates a key for another user or the \
        root user creates one for itself, and a CloudWatch alarm on its metric must notify \
        someone (seed 003: \"Warning: New IAM access key was created\").",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for new IAM access keys (CIS pattern) to \
            the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name AccessKeyCreated, namespace \
            CISBenchmark, metric name AccessKeyCreated, metric value 1 > Create; then select the \
            filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify an \
            SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? Fix \
            cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name AccessKeyCreated --metric-transformations metricName=AccessKeyCreated,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateAccessKey) }'\n\
              aws cloudwatch put-metric-alarm --alarm-name AccessKeyCreated --metric-name AccessKeyCreated --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "AccessKeyCreatedFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateAccessKey) }', MetricTransformations: [{MetricName: AccessKeyCreated, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         AccessKeyCreatedAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: AccessKeyCreated, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
    },
    seeds: &["seed 003"],
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
        &[r#"{ ($.eventSource = iam.amazonaws.com) && ($.eventName = CreateAccessKey) }"#],
        // event name only
        &[r#"{ $.eventName = CreateAccessKey }"#],
        // reordered, quoted, no spaces
        &[r#"{($.eventName="CreateAccessKey")&&($.eventSource="iam.amazonaws.com")}"#],
        // split by identity type
        &[
            r#"{ $.eventName = CreateAccessKey && $.userIdentity.type = Root }"#,
            r#"{ $.eventName = CreateAccessKey && $.userIdentity.type != Root }"#,
        ],
        // widened to every access key change
        &[
            r#"{ ($.eventName = CreateAccessKey) || ($.eventName = UpdateAccessKey) || ($.eventName = DeleteAccessKey) }"#,
        ],
        // text pattern
        &[r#"CreateAccessKey"#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // typo'd event name
        &[r#"{ $.eventName = CreateAccessKeys }"#],
        // wrong eventSource
        &[r#"{ ($.eventSource = sts.amazonaws.com) && ($.eventName = CreateAccessKey) }"#],
        // wrong event
        &[r#"{ $.eventName = UpdateAccessKey }"#],
        // inverted
        &[r#"{ ($.eventSource = iam.amazonaws.com) && ($.eventName != CreateAccessKey) }"#],
        // exclusion drops root
        &[r#"{ $.eventName = CreateAccessKey && $.userIdentity.type = IAMUser }"#],
        // exclusion drops keys created for oneself
        &[r#"{ $.eventName = CreateAccessKey && $.requestParameters.userName EXISTS }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
