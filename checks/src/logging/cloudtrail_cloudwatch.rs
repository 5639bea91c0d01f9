//! cloudtrail-cloudwatch: every trail also delivers to CloudWatch Logs.

use serde_json::Value;

use super::cloudtrail_multi_region::{grade_every_trail, owner_note};
use super::{log_group_of_arn, trail_evidence, TRAIL_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: DescribeTrails CloudWatchLogsLogGroupArn is set on every trail.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "cloudtrail-cloudwatch",
    title: "CloudTrail delivers to CloudWatch Logs",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[TRAIL_TYPE, ACCOUNT_TYPE],
    requirement: "Information system activity review (164.308(a)(1)(ii)(D)) needs the trail's \
        events where they can be searched and alarmed on as they happen: the trail delivers to \
        a CloudWatch Logs log group (CloudWatchLogsLogGroupArn), which the cw-alarm-* metric \
        filters read (seed 003: CloudWatch log groups and alarms complement the Config rules). \
        Every trail is graded; an account without any trail gets one account-level failure.",
    evidence: &["cloudtrail:DescribeTrails CloudWatchLogsLogGroupArn (every scanned region)"],
    remediation: Remediation {
        summary: "Send the trail's events to a CloudWatch Logs log group.",
        console: "CloudTrail > Trails > select the trail > CloudWatch Logs > Edit > Enabled: \
            choose or create a log group and an IAM role CloudTrail can assume to write to it > \
            Save changes.",
        cli: "aws logs create-log-group --log-group-name cloudtrail/management\n\
              aws cloudtrail update-trail --name <id> \
              --cloud-watch-logs-log-group-arn arn:aws:logs:<region>:<account>:log-group:cloudtrail/management:* \
              --cloud-watch-logs-role-arn arn:aws:iam::<account>:role/CloudTrailToCloudWatchLogs",
        cloudformation: "AWS::CloudTrail::Trail: CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn, \
            CloudWatchLogsRoleArn: !GetAtt TrailLogsRole.Arn",
    },
    seeds: &["seed 003"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_every_trail(ctx, &META, |trail| {
        let evidence = trail_evidence(trail);
        match trail
            .cloud_watch_logs_log_group_arn
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            Some(arn) => {
                let (region, group) = log_group_of_arn(arn)
                    .map(|(region, group)| (Value::from(region), Value::from(group)))
                    .unwrap_or((Value::Null, Value::Null));
                let name = group.as_str().unwrap_or(arn).to_owned();
                let mut evidence = evidence;
                if let Value::Object(map) = &mut evidence {
                    map.insert("LogGroupName".into(), group);
                    map.insert("LogGroupRegion".into(), region);
                }
                Verdict::pass(
                    format!(
                        "trail {} delivers to CloudWatch Logs log group {name}",
                        trail.name
                    ),
                    evidence,
                )
            }
            None => Verdict::fail(
                format!(
                    "trail {} does not deliver to CloudWatch Logs, so its events cannot be \
                     searched or alarmed on as they happen{}",
                    trail.name,
                    owner_note(ctx, trail)
                ),
                evidence,
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::{Source, Trail};

    #[test]
    fn log_group_passes_none_fails() {
        let none = Trail {
            name: "s3-only".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/s3-only".into(),
            cloud_watch_logs_log_group_arn: None,
            ..trail()
        };
        let findings = evaluate(&CHECK, with_trails(vec![trail(), none]));
        let ok = finding_for(&findings, "management");
        assert_eq!(ok.status, Status::Pass);
        assert!(ok.message.contains(LOG_GROUP), "{}", ok.message);
        assert_eq!(ok.evidence["LogGroupName"], LOG_GROUP);
        assert_eq!(status_of(&findings, "s3-only"), Status::Fail);
    }

    #[test]
    fn no_trail_is_one_account_level_fail() {
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![])));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.resource_type, "AWS::::Account");
    }

    #[test]
    fn error_when_trails_unreadable() {
        let mut region = compliant_region();
        region.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        assert_eq!(only_finding(evaluate(&CHECK, region)).status, Status::Error);
    }
}
