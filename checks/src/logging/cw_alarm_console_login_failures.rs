//! cw-alarm-console-login-failures: console sign-in failures reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for console sign-in failures.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::ConsoleLoginFailures;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-console-login-failures",
    title: "Console sign-in failures raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(5)(ii)(C)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Log-in monitoring (164.308(a)(5)(ii)(C)) means someone hears \
        about failed sign-ins: password guessing against IAM users or the root user shows up \
        as ConsoleLogin events with errorMessage \"Failed authentication\". A metric filter on \
        the CloudWatch Logs group of a logging multi-region trail must match them, for IAM \
        users and for root, and a CloudWatch alarm on its metric must notify someone (seed \
        003: \"multiple unauthorized actions or logins attempted\"; seed 004: monitor login \
        success and failure).",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for console sign-in failures (CIS \
            pattern) to the trail's CloudWatch Logs group, and an alarm on its metric that \
            notifies an SNS topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name ConsoleSigninFailures, namespace \
            CISBenchmark, metric name ConsoleSigninFailures, metric value 1 > Create; then select \
            the filter > Create alarm > statistic Sum, period 5 minutes, threshold >= 1 > notify \
            an SNS topic with a confirmed subscriber > Create alarm. (No log group on the trail? \
            Fix cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name ConsoleSigninFailures --metric-transformations metricName=ConsoleSigninFailures,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }'\n\
              aws cloudwatch put-metric-alarm --alarm-name ConsoleSigninFailures --metric-name ConsoleSigninFailures --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "ConsoleSigninFailuresFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }', MetricTransformations: [{MetricName: ConsoleSigninFailures, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         ConsoleSigninFailuresAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: ConsoleSigninFailures, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
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
        &[r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#],
        // reordered, quoted
        &[r#"{ $.errorMessage = "Failed authentication" && $.eventName = "ConsoleLogin" }"#],
        // the response element instead of the message
        &[r#"{ ($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Failure") }"#],
        // split by identity type
        &[
            r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed authentication" && $.userIdentity.type = IAMUser }"#,
            r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed authentication" && $.userIdentity.type = Root }"#,
        ],
        // widened to any sign-in error
        &[r#"{ $.eventSource = "signin.amazonaws.com" && $.errorMessage EXISTS }"#],
        // text pattern
        &[r#""Failed authentication""#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // case typo
        &[r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed Authentication") }"#],
        // inverted
        &[r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage != "Failed authentication") }"#],
        // wrong field (sign-in failures carry no errorCode)
        &[r#"{ ($.eventName = ConsoleLogin) && ($.errorCode = "Failed authentication") }"#],
        // wrong value
        &[r#"{ ($.eventName = ConsoleLogin) && ($.responseElements.ConsoleLogin = "Failed") }"#],
        // exclusion drops root
        &[
            r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.userIdentity.type = "IAMUser") }"#,
        ],
        // typo'd event name
        &[r#"{ ($.eventName = ConsoleLogon) && ($.errorMessage = "Failed authentication") }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
