//! cw-alarm-nacl-changes: network ACL changes reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for network ACL changes.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::NaclChanges;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-nacl-changes",
    title: "Network ACL changes raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Network ACLs are the second network boundary around PHI \
        (164.312(e)(1)): a deny rule on 3306 still protects the database when a security group \
        is opened by mistake, so removing it must be noticed. A metric filter on the \
        CloudWatch Logs group of a logging multi-region trail must match CreateNetworkAcl, \
        CreateNetworkAclEntry, DeleteNetworkAcl, DeleteNetworkAclEntry, ReplaceNetworkAclEntry \
        and ReplaceNetworkAclAssociation in every region, and a CloudWatch alarm on its metric \
        must notify someone (seed 003: \"an API call is made to create, update or delete \
        ACL\"; seed 004: NACL deny rules).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for network ACL changes (CIS pattern) to \
            the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name NACLChanges, namespace \
            CISBenchmark, metric name NACLChanges, metric value 1 > Create; then select the filter \
            > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify an SNS topic \
            with a confirmed subscriber > Create alarm. (No log group on the trail? Fix \
            cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name NACLChanges --metric-transformations metricName=NACLChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }'\n\
              aws cloudwatch put-metric-alarm --alarm-name NACLChanges --metric-name NACLChanges --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "NACLChangesFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }', MetricTransformations: [{MetricName: NACLChanges, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         NACLChangesAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: NACLChanges, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
            r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
        ],
        // one wildcard
        &[r#"{ $.eventName = "*NetworkAcl*" }"#],
        // split over two filters
        &[
            r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) }"#,
            r#"{ ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
        ],
        // wildcards under an eventSource condition
        &[
            r#"{ $.eventSource = ec2.amazonaws.com && ($.eventName = CreateNetworkAcl* || $.eventName = DeleteNetworkAcl* || $.eventName = ReplaceNetworkAcl*) }"#,
        ],
        // reversed, quoted, no spaces
        &[
            r#"{($.eventName="ReplaceNetworkAclAssociation")||($.eventName="ReplaceNetworkAclEntry")||($.eventName="DeleteNetworkAclEntry")||($.eventName="DeleteNetworkAcl")||($.eventName="CreateNetworkAclEntry")||($.eventName="CreateNetworkAcl")}"#,
        ],
        // text pattern with ?-terms
        &[r#"?CreateNetworkAcl ?DeleteNetworkAcl ?ReplaceNetworkAcl"#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // misses ReplaceNetworkAclAssociation
        &[
            r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) }"#,
        ],
        // entries only
        &[r#"{ $.eventName = "*NetworkAclEntry" }"#],
        // typo'd CreateNetworkAcl
        &[
            r#"{ ($.eventName = CreateNetworkACL) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"#,
        ],
        // restricted to one region
        &[r#"{ $.eventName = "*NetworkAcl*" && $.awsRegion = "us-east-1" }"#],
        // inverted
        &[r#"{ $.eventName != "*NetworkAcl*" && $.eventSource = ec2.amazonaws.com }"#],
        // wrong field (CreateNetworkAcl has no networkAclId)
        &[r#"{ $.requestParameters.networkAclId EXISTS }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
