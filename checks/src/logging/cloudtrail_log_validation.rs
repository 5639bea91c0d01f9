//! cloudtrail-log-validation: every trail has log file integrity validation on.

use super::cloudtrail_multi_region::{grade_every_trail, owner_note};
use super::{trail_evidence, TRAIL_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: DescribeTrails LogFileValidationEnabled = true on every trail.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "cloudtrail-log-validation",
    title: "CloudTrail log file validation is on",
    severity: Severity::Medium,
    hipaa: &["164.312(c)(1)"],
    baa: BaaRule::Integrity,
    resource_types: &[TRAIL_TYPE, ACCOUNT_TYPE],
    requirement: "Integrity controls (164.312(c)(1)) must show that audit records were not \
        altered or deleted. With log file validation CloudTrail delivers a signed, chained \
        digest file every hour, so `aws cloudtrail validate-logs` can prove each log file is \
        unchanged; without it a deleted or edited log file goes unnoticed (seed 004: logs that \
        users can modify can no longer be trusted). Every trail is graded; an account without \
        any trail gets one account-level failure.",
    evidence: &["cloudtrail:DescribeTrails LogFileValidationEnabled (every scanned region)"],
    remediation: Remediation {
        summary: "Turn on log file validation for the trail.",
        console: "CloudTrail > Trails > select the trail > General details > Edit > Additional \
            settings: Log file validation = Enabled > Save changes.",
        cli: "aws cloudtrail update-trail --name <id> --enable-log-file-validation\n\
              (verify later: aws cloudtrail validate-logs --trail-arn <trail-arn> --start-time <date>)",
        cloudformation: "AWS::CloudTrail::Trail: EnableLogFileValidation: true",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_every_trail(ctx, &META, |trail| {
        let evidence = trail_evidence(trail);
        if trail.log_file_validation_enabled {
            Verdict::pass(
                format!("trail {} has log file validation on", trail.name),
                evidence,
            )
        } else {
            Verdict::fail(
                format!(
                    "trail {} has log file validation off, so altered or deleted log files \
                     cannot be detected{}",
                    trail.name,
                    owner_note(ctx, trail)
                ),
                evidence,
            )
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
    fn pass_and_fail_per_trail() {
        let off = Trail {
            name: "no-validation".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/no-validation".into(),
            log_file_validation_enabled: false,
            ..trail()
        };
        let findings = evaluate(&CHECK, with_trails(vec![trail(), off]));
        assert_eq!(findings.len(), 2);
        let ok = finding_for(&findings, "management");
        assert_eq!(ok.status, Status::Pass);
        assert_eq!(ok.resource_type, "AWS::CloudTrail::Trail");
        assert_eq!(ok.resource_arn.as_deref(), Some(TRAIL_ARN));
        assert_eq!(ok.evidence["LogFileValidationEnabled"], true);
        assert_eq!(status_of(&findings, "no-validation"), Status::Fail);
    }

    #[test]
    fn shadow_copies_are_graded_once_in_the_home_region() {
        let snapshot = snapshot_of(
            vec![
                ("eu-west-1", with_trails(vec![shadow_copy(&trail())])),
                (REGION, compliant_region()),
            ],
            compliant_global(),
        );
        let findings = evaluate_snapshot(&CHECK, &snapshot, &crate::config::Config::default());
        let finding = only_finding(findings);
        assert_eq!(finding.region, REGION);
        assert_eq!(finding.status, Status::Pass);
    }

    #[test]
    fn foreign_organization_trail_fail_says_where_to_fix() {
        let mut org = org_trail();
        org.log_file_validation_enabled = false;
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![org])));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("999999999999"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn no_trail_is_one_account_level_fail() {
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![])));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.region, "global");
        assert!(
            finding.message.contains("cloudtrail-multi-region"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_trails_unreadable() {
        let mut region = compliant_region();
        region.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
    }
}
