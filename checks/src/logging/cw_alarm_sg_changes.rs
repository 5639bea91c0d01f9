//! cw-alarm-sg-changes: security group changes reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for security group changes.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::SecurityGroupChanges;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-sg-changes",
    title: "Security group changes raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Security groups are the network boundary around PHI \
        (164.312(e)(1)); a rule opened to the world must be noticed at once. A metric filter \
        on the CloudWatch Logs group of a logging multi-region trail must match \
        AuthorizeSecurityGroupIngress/Egress, RevokeSecurityGroupIngress/Egress, \
        CreateSecurityGroup and DeleteSecurityGroup in every region, and a CloudWatch alarm on \
        its metric must notify someone (seed 003: \"an API call is made to create, update or \
        delete a security group\"; seed 004: act quickly on security groups opened to the \
        world).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for security group changes (CIS pattern) \
            to the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name SecurityGroupChanges, namespace \
            CISBenchmark, metric name SecurityGroupChanges, metric value 1 > Create; then select \
            the filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify \
            an SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? \
            Fix cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name SecurityGroupChanges --metric-transformations metricName=SecurityGroupChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }'\n\
              aws cloudwatch put-metric-alarm --alarm-name SecurityGroupChanges --metric-name SecurityGroupChanges --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "SecurityGroupChangesFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }', MetricTransformations: [{MetricName: SecurityGroupChanges, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         SecurityGroupChangesAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: SecurityGroupChanges, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
            r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
        ],
        // one wildcard
        &[r#"{ $.eventName = "*SecurityGroup*" }"#],
        // wildcards under an eventSource condition
        &[
            r#"{ $.eventSource = ec2.amazonaws.com && ($.eventName = AuthorizeSecurityGroup* || $.eventName = RevokeSecurityGroup* || $.eventName = CreateSecurityGroup || $.eventName = DeleteSecurityGroup) }"#,
        ],
        // split over two filters
        &[
            r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) }"#,
            r#"{ ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
        ],
        // reversed and quoted
        &[
            r#"{ ($.eventName = "DeleteSecurityGroup") || ($.eventName = "CreateSecurityGroup") || ($.eventName = "RevokeSecurityGroupEgress") || ($.eventName = "RevokeSecurityGroupIngress") || ($.eventName = "AuthorizeSecurityGroupEgress") || ($.eventName = "AuthorizeSecurityGroupIngress") }"#,
        ],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // misses the egress events
        &[
            r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
        ],
        // ingress only
        &[r#"{ $.eventName = "*SecurityGroupIngress" }"#],
        // restricted to one region
        &[r#"{ $.eventName = "*SecurityGroup*" && $.awsRegion = "us-east-1" }"#],
        // typo'd event name
        &[
            r#"{ ($.eventName = AuthorizeSecurityGroupIngres) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"#,
        ],
        // read-only events only
        &[r#"{ $.eventSource = "ec2.amazonaws.com" && $.readOnly IS TRUE }"#],
        // exclusion drops role sessions
        &[r#"{ $.eventName = "*SecurityGroup*" && $.userIdentity.type = "IAMUser" }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
