//! cloudtrail-kms: every trail encrypts its log files with a KMS key (SSE-KMS).

use super::cloudtrail_multi_region::{grade_every_trail, owner_note};
use super::{trail_evidence, TRAIL_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;

/// The check: DescribeTrails KmsKeyId is set on every trail.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "cloudtrail-kms",
    title: "CloudTrail log files are encrypted with a KMS key",
    severity: Severity::Medium,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[TRAIL_TYPE, ACCOUNT_TYPE],
    requirement: "Trail logs record who touched PHI stores and can carry resource names and \
        request parameters, so they are encrypted at rest with a KMS key (SSE-KMS, KmsKeyId \
        set on the trail): reading them then also needs kms:Decrypt on that key, and every use \
        of the key is itself logged. The default S3-managed encryption (SSE-S3) does not \
        separate those duties and fails this check. Every trail is graded; an account without \
        any trail gets one account-level failure.",
    evidence: &["cloudtrail:DescribeTrails KmsKeyId (every scanned region)"],
    remediation: Remediation {
        summary: "Configure the trail to encrypt log files with a customer-managed KMS key.",
        console: "CloudTrail > Trails > select the trail > General details > Edit > Log file \
            SSE-KMS encryption: Enabled > choose a new or existing customer-managed key (its \
            key policy must let cloudtrail.amazonaws.com use it) > Save changes.",
        cli: "aws cloudtrail update-trail --name <id> --kms-key-id <key-arn-or-alias>\n\
              (the key policy must allow cloudtrail.amazonaws.com kms:GenerateDataKey* with \
              the trail's encryption context)",
        cloudformation: "AWS::CloudTrail::Trail: KMSKeyId: !GetAtt TrailKey.Arn \
            (AWS::KMS::Key with a key policy granting cloudtrail.amazonaws.com)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_every_trail(ctx, &META, |trail| {
        let evidence = trail_evidence(trail);
        match trail
            .kms_key_id
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            Some(key) => Verdict::pass(
                format!(
                    "trail {} encrypts its log files with KMS key {key}",
                    trail.name
                ),
                evidence,
            ),
            None => Verdict::fail(
                format!(
                    "trail {} log files use only the default S3-managed encryption (SSE-S3), \
                     not a KMS key{}",
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
    fn kms_key_passes_sse_s3_fails() {
        let sse_s3 = Trail {
            name: "sse-s3".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/sse-s3".into(),
            kms_key_id: None,
            ..trail()
        };
        let blank = Trail {
            name: "blank".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/blank".into(),
            kms_key_id: Some(String::new()),
            ..trail()
        };
        let findings = evaluate(&CHECK, with_trails(vec![trail(), sse_s3, blank]));
        let ok = finding_for(&findings, "management");
        assert_eq!(ok.status, Status::Pass);
        assert!(ok.message.contains(KEY_ARN), "{}", ok.message);
        let fail = finding_for(&findings, "sse-s3");
        assert_eq!(fail.status, Status::Fail);
        assert!(fail.message.contains("SSE-S3"), "{}", fail.message);
        assert_eq!(status_of(&findings, "blank"), Status::Fail);
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
