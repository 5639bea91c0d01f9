//! cw-alarm-iam-changes: IAM policy changes reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for IAM policy changes.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::IamChanges;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-iam-changes",
    title: "IAM policy changes raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(4)(ii)(C)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Access establishment and modification (164.308(a)(4)(ii)(C)) \
        must be reviewable: every change to who may do what goes through IAM policies. A \
        metric filter on the CloudWatch Logs group of a logging multi-region trail must match \
        all 16 policy events of the CIS benchmark (Put/Delete Group/Role/User Policy, \
        Create/Delete Policy, Create/Delete PolicyVersion, Attach/Detach Role/User/Group \
        Policy), alone or with other filters, and a CloudWatch alarm on each filter's metric \
        must notify someone (seed 003: \"IAM configuration changes detected\").",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for IAM policy changes (CIS pattern) to \
            the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name IAMPolicyChanges, namespace \
            CISBenchmark, metric name IAMPolicyChanges, metric value 1 > Create; then select the \
            filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify an \
            SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? Fix \
            cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name IAMPolicyChanges --metric-transformations metricName=IAMPolicyChanges,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}'\n\
              aws cloudwatch put-metric-alarm --alarm-name IAMPolicyChanges --metric-name IAMPolicyChanges --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "IAMPolicyChangesFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}', MetricTransformations: [{MetricName: IAMPolicyChanges, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         IAMPolicyChangesAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: IAMPolicyChanges, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
            r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
        ],
        // wildcards under an eventSource condition
        &[
            r#"{ ($.eventSource = iam.amazonaws.com) && (($.eventName = Put*Policy) || ($.eventName = Delete*Policy) || ($.eventName = *PolicyVersion) || ($.eventName = CreatePolicy) || ($.eventName = Attach*Policy) || ($.eventName = Detach*Policy)) }"#,
        ],
        // split over two filters
        &[
            r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)}"#,
            r#"{($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
        ],
        // widened to every IAM event
        &[r#"{ $.eventSource = "iam.amazonaws.com" }"#],
        // two wildcards
        &[r#"{ ($.eventName = "*Policy") || ($.eventName = "*PolicyVersion") }"#],
        // reversed, quoted, over several lines, no parentheses
        &[r#"{
  $.eventName = "DetachGroupPolicy" ||
  $.eventName = "AttachGroupPolicy" ||
  $.eventName = "DetachUserPolicy" ||
  $.eventName = "AttachUserPolicy" ||
  $.eventName = "DetachRolePolicy" ||
  $.eventName = "AttachRolePolicy" ||
  $.eventName = "DeletePolicyVersion" ||
  $.eventName = "CreatePolicyVersion" ||
  $.eventName = "DeletePolicy" ||
  $.eventName = "CreatePolicy" ||
  $.eventName = "PutUserPolicy" ||
  $.eventName = "PutRolePolicy" ||
  $.eventName = "PutGroupPolicy" ||
  $.eventName = "DeleteUserPolicy" ||
  $.eventName = "DeleteRolePolicy" ||
  $.eventName = "DeleteGroupPolicy"
}"#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // misses DetachGroupPolicy
        &[
            r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)}"#,
        ],
        // typo'd DeleteRolePolicy
        &[
            r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolcy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"#,
        ],
        // misses the PolicyVersion events
        &[r#"{ $.eventSource = "iam.amazonaws.com" && $.eventName = "*Policy" }"#],
        // wrong eventSource
        &[r#"{ $.eventSource = "iam.amazon.com" }"#],
        // wrong field (inline policy events have no policyArn)
        &[r#"{ $.requestParameters.policyArn EXISTS }"#],
        // inverted
        &[r#"{ $.eventName != "*Policy*" }"#],
        // && binds tighter: PolicyVersion events only for root
        &[
            r#"{ ($.eventName = "*Policy") || ($.eventName = "*PolicyVersion") && $.userIdentity.type = "Root" }"#,
        ],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
