//! cw-alarm-unauthorized-api: unauthorized API calls reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for unauthorized API calls.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::UnauthorizedApi;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-unauthorized-api",
    title: "Unauthorized API calls raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Refused API calls are the first trace of stolen credentials \
        and of privilege probing. A metric filter on the CloudWatch Logs group of a logging \
        multi-region trail must match every unauthorized-call error code (EC2's \
        Client.UnauthorizedOperation, AccessDenied, AccessDeniedException), and a CloudWatch \
        alarm on its metric must notify someone, so that information system activity is \
        reviewed as it happens (seed 003: \"multiple unauthorized actions or logins \
        attempted\"; seed 004: how will your security team be notified?).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for unauthorized API calls (CIS pattern) \
            to the trail's CloudWatch Logs group, and an alarm on its metric that notifies an SNS \
            topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name UnauthorizedAPICalls, namespace \
            CISBenchmark, metric name UnauthorizedAPICalls, metric value 1 > Create; then select \
            the filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify \
            an SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? \
            Fix cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name UnauthorizedAPICalls --metric-transformations metricName=UnauthorizedAPICalls,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }'\n\
              aws cloudwatch put-metric-alarm --alarm-name UnauthorizedAPICalls --metric-name UnauthorizedAPICalls --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "UnauthorizedAPICallsFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }', MetricTransformations: [{MetricName: UnauthorizedAPICalls, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         UnauthorizedAPICallsAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: UnauthorizedAPICalls, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
        &[r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#],
        // reordered, no spaces
        &[r#"{($.errorCode="AccessDenied*")||($.errorCode="*UnauthorizedOperation")}"#],
        // CIS v1.5+ with HeadBucket/log-delivery exclusions (&& binds tighter)
        &[
            r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#,
        ],
        // split over two filters
        &[
            r#"{ $.errorCode = "Client.UnauthorizedOperation" }"#,
            r#"{ $.errorCode = AccessDenied || $.errorCode = AccessDeniedException }"#,
        ],
        // widened wildcards
        &[r#"{ ($.errorCode = "*Unauthorized*") || ($.errorCode = "*Denied*") }"#],
        // text pattern with ?-terms
        &[r#"?UnauthorizedOperation ?AccessDenied"#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // misses UnauthorizedOperation and AccessDeniedException
        &[r#"{ $.errorCode = "AccessDenied" }"#],
        // no wildcard: misses AccessDeniedException
        &[r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied") }"#],
        // no wildcard: misses Client.UnauthorizedOperation
        &[r#"{ ($.errorCode = "UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#],
        // wrong field
        &[
            r#"{ ($.errorMessage = "*UnauthorizedOperation") || ($.errorMessage = "AccessDenied*") }"#,
        ],
        // inverted
        &[r#"{ ($.errorCode != "*UnauthorizedOperation") && ($.errorCode != "AccessDenied*") }"#],
        // exclusion drops role sessions
        &[
            r#"{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.userIdentity.type = "IAMUser") }"#,
        ],
        // case typo
        &[r#"{ ($.errorCode = "*unauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
