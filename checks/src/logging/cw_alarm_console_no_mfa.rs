//! cw-alarm-console-no-mfa: console sign-ins without MFA reach an alarm with an action.

use super::alarms::{grade, EventClass};
use super::LOG_GROUP_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: a working metric filter and alarm for console sign-ins without MFA.
pub const CHECK: Check = Check { meta: META, run };

/// The event class the check grades.
const CLASS: EventClass = EventClass::ConsoleNoMfa;

const META: CheckMeta = CheckMeta {
    id: "cw-alarm-console-no-mfa",
    title: "Console sign-ins without MFA raise a CloudWatch alarm",
    severity: Severity::Medium,
    hipaa: &["164.312(d)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[LOG_GROUP_TYPE, ACCOUNT_TYPE],
    requirement: "Person or entity authentication (164.312(d)) relies on MFA; \
        a console sign-in that did not use it (additionalEventData.MFAUsed = \"No\") means a \
        password alone opened the account. A metric filter on the CloudWatch Logs group of a \
        logging multi-region trail must match a successful IAM user sign-in without MFA, and a \
        CloudWatch alarm on its metric must notify someone (seed 004: monitor logins; enforce \
        MFA). The CIS v1.4 variant restricted to IAMUser and Success is accepted.",
    evidence: super::alarms::EVIDENCE,
    remediation: Remediation {
        summary: "Add a metric filter for console sign-ins without MFA (CIS \
            pattern) to the trail's CloudWatch Logs group, and an alarm on its metric that \
            notifies an SNS topic.",
        console: "CloudWatch > Logs > Log groups > select the log group the \
            multi-region trail delivers to > Metric filters > Create metric filter > pattern: the \
            --filter-pattern of the CLI remediation > filter name ConsoleSigninWithoutMFA, \
            namespace CISBenchmark, metric name ConsoleSigninWithoutMFA, metric value 1 > Create; \
            then select the filter > Create alarm > statistic Sum, period 5 minutes, threshold >= \
            1 > notify an SNS topic with a confirmed subscriber > Create alarm. (No log group on \
            the trail? Fix cloudtrail-cloudwatch first.)",
        cli: "aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name ConsoleSigninWithoutMFA --metric-transformations metricName=ConsoleSigninWithoutMFA,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }'\n\
              aws cloudwatch put-metric-alarm --alarm-name ConsoleSigninWithoutMFA --metric-name ConsoleSigninWithoutMFA --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching --alarm-actions <sns-topic-arn>",
        cloudformation: "ConsoleSigninWithoutMFAFilter: Type: AWS::Logs::MetricFilter, Properties: LogGroupName: <trail-log-group>, FilterPattern: '{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }', MetricTransformations: [{MetricName: ConsoleSigninWithoutMFA, MetricNamespace: CISBenchmark, MetricValue: '1'}]\n\
                         ConsoleSigninWithoutMFAAlarm: Type: AWS::CloudWatch::Alarm, Properties: Namespace: CISBenchmark, MetricName: ConsoleSigninWithoutMFA, Statistic: Sum, Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold, TreatMissingData: notBreaching, AlarmActions: [<sns-topic-arn>]",
    },
    seeds: &["seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade(ctx, &META, CLASS)
}

#[cfg(test)]
mod tests {
    /// Filter sets that cover the class (each set is the only filters on the log group).
    const ACCEPTED: &[&[&str]] = &[
        // the CIS v1.2 pattern
        &[r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#],
        // the CIS v1.4 variant (IAMUser + Success)
        &[
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
        ],
        // = "No", reordered, no spaces
        &[r#"{$.additionalEventData.MFAUsed="No"&&$.eventName=ConsoleLogin}"#],
        // widened with NOT EXISTS
        &[
            r#"{ $.eventName = ConsoleLogin && ($.additionalEventData.MFAUsed = No || $.additionalEventData.MFAUsed NOT EXISTS) }"#,
        ],
        // split by identity type
        &[
            r#"{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes && $.userIdentity.type = IAMUser }"#,
            r#"{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != Yes && $.userIdentity.type != IAMUser }"#,
        ],
        // text pattern
        &[r#"ConsoleLogin "\"MFAUsed\":\"No\"""#],
    ];

    /// Filter sets that do not.
    const REJECTED: &[&[&str]] = &[
        // inverted
        &[r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "Yes") }"#],
        // inverted value
        &[r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "No") }"#],
        // field name typo
        &[r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MfaUsed != "Yes") }"#],
        // restricted to failures
        &[
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.responseElements.ConsoleLogin = "Failure") }"#,
        ],
        // restricted to root
        &[
            r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "Root") }"#,
        ],
        // NOT EXISTS instead of != Yes
        &[r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed NOT EXISTS) }"#],
    ];

    crate::logging::fixtures::alarm_check_tests!();
}
