//! cw-alarm-root-usage: root account usage reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for root account usage.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::RootUsage;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-root-usage",
    title: "Root account usage raises a CloudWatch alarm",
    severity: Severity::High,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "The root user bypasses every IAM control, so any use of it \
        must be seen and reviewed (164.308(a)(1)(ii)(D)). A metric filter on the CloudWatch \
        Logs group of a logging multi-region trail must match root API calls and root console \
        sign-ins, and a CloudWatch alarm on its metric must notify someone (seed 003: \"root \
        user activity detected\"). The filter may exclude calls AWS services make on root's \
        behalf (`$.userIdentity.invokedBy NOT EXISTS`, `$.eventType != \"AwsServiceEvent\"`).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for root account usage (CIS pattern) to \
            the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name RootAccountUsage, namespace \
            CISBenchmark, metric name RootAccountUsage, metric value 1 > Create; then select the \
            filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify an \
            SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? Fix \
            cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name RootAccountUsage --metric-transformations metricName=RootAccountUsage,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }'\n\
              aws cloudwatch put-metric-alarm --alarm-name RootAccountUsage --metric-name RootAccountUsage --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "RootAccountUsageFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }', MetricTransformations: [{MetricName: RootAccountUsage, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         RootAccountUsageAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: RootAccountUsage, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
        &[
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        ],
        // bare, no exclusions
        &[r#"{ $.userIdentity.type = Root }"#],
        // reordered with parentheses
        &[
            r#"{ ($.eventType != "AwsServiceEvent") && ($.userIdentity.invokedBy NOT EXISTS) && ($.userIdentity.type = "Root") }"#,
        ],
        // split by event type
        &[
            r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }"#,
            r#"{ $.userIdentity.type = "Root" && $.eventType = "AwsConsoleSignIn" }"#,
        ],
        // the root ARN with a wildcard
        &[r#"{ $.userIdentity.arn = "arn:aws:iam::*:root" }"#],
        // text pattern
        &[r#""\"type\":\"Root\"""#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // case typo
        &[r#"{ $.userIdentity.type = "root" }"#],
        // inverted invokedBy
        &[r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy EXISTS }"#],
        // exclusion drops console sign-ins
        &[r#"{ $.userIdentity.type = "Root" && $.eventType != "AwsConsoleSignIn" }"#],
        // sign-ins only
        &[r#"{ $.userIdentity.type = "Root" && $.eventName = ConsoleLogin }"#],
        // wrong field
        &[r#"{ $.userIdentity.userName = "root" }"#],
        // restricted to one region
        &[r#"{ $.userIdentity.type = "Root" && $.awsRegion = "us-east-1" }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
