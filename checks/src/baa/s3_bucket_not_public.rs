//! s3-bucket-not-public: Block Public Access (account or bucket level) keeps every bucket
//! private.

use serde_json::{json, Value};

use super::{grade_buckets, BUCKET_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;
use crate::policy::public_statements;
use crate::snapshot::{Bucket, PublicAccessBlock, Source};

/// The check: all four Block Public Access settings in force for every bucket.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "s3-bucket-not-public",
    title: "S3 bucket is covered by Block Public Access",
    severity: Severity::High,
    hipaa: &["164.312(a)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[BUCKET_TYPE, ACCOUNT_TYPE],
    requirement: "Only authorized persons and software may access ePHI (164.312(a)(1)); a public \
        bucket is the most common way PHI leaks from S3. S3 rejects a request when any Block \
        Public Access setting of the account or of the bucket forbids it, so a setting is in \
        force when it is on at either level. Passes when all four (BlockPublicAcls, \
        IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) are in force; fails naming \
        the settings that are off at each level, and says so when the bucket policy also allows \
        anyone (Principal \"*\" without a condition). When a level could not be read and the \
        other does not prove the bucket private, the result is `error`.",
    evidence: &[
        "s3:ListBuckets",
        "s3control:GetPublicAccessBlock (account)",
        "s3:GetPublicAccessBlock (bucket)",
        "s3:GetBucketPolicy",
    ],
    remediation: Remediation {
        summary: "Turn on all four Block Public Access settings for the account (preferred) or \
            the bucket, and remove public statements from the bucket policy.",
        console: "S3 > Block Public Access settings for this account > Edit > tick 'Block all \
            public access' > Save; or S3 > Buckets > the bucket > Permissions > Block public \
            access (bucket settings) > Edit > tick 'Block all public access' > Save. Then review \
            Permissions > Bucket policy for statements with Principal \"*\".",
        cli: "aws s3control put-public-access-block --account-id <account-id> \
              --public-access-block-configuration \
              BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\n\
              aws s3api put-public-access-block --bucket <id> --public-access-block-configuration \
              BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        cloudformation: "AWS::S3::Bucket: PublicAccessBlockConfiguration: {BlockPublicAcls: true, \
            IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true} \
            (account level: AWS::S3::AccountPublicAccessBlock is not available; use the CLI or \
            an organization-wide policy)",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// Reads one Block Public Access setting.
type Setting = fn(&PublicAccessBlock) -> bool;

/// The four settings, by their API names.
const SETTINGS: [(&str, Setting); 4] = [
    ("BlockPublicAcls", |p| p.block_public_acls),
    ("IgnorePublicAcls", |p| p.ignore_public_acls),
    ("BlockPublicPolicy", |p| p.block_public_policy),
    ("RestrictPublicBuckets", |p| p.restrict_public_buckets),
];

/// What one level (account or bucket) says: the settings it turns on, or why it is unknown.
enum Level<'a> {
    /// Collected; `None` when the level has no configuration (all four off).
    Known(Option<&'a PublicAccessBlock>),
    /// Could not be read.
    Unknown(&'a crate::snapshot::Failure),
}

impl Level<'_> {
    fn from(source: &Source<Option<PublicAccessBlock>>) -> Level<'_> {
        match source {
            Source::Collected(pab) => Level::Known(pab.as_ref()),
            Source::Failed(failure) => Level::Unknown(failure),
        }
    }

    fn on(&self, setting: Setting) -> bool {
        matches!(self, Level::Known(Some(pab)) if setting(pab))
    }

    /// "no configuration", "off: A, B", "all on", or "unreadable (...)".
    fn describe(&self) -> String {
        match self {
            Level::Known(None) => "no Block Public Access configuration".to_owned(),
            Level::Known(Some(pab)) => {
                let off: Vec<&str> = SETTINGS
                    .iter()
                    .filter(|(_, on)| !on(pab))
                    .map(|(name, _)| *name)
                    .collect();
                if off.is_empty() {
                    "all four on".to_owned()
                } else {
                    format!("{} off", off.join(", "))
                }
            }
            Level::Unknown(failure) => format!("unreadable ({})", failure.describe()),
        }
    }
}

fn source_value<T: serde::Serialize>(source: &Source<T>) -> Value {
    serde_json::to_value(source).unwrap_or(Value::Null)
}

fn grade(ctx: &Context, bucket: &Bucket) -> Verdict {
    let name = &bucket.name;
    let account_source = &ctx.snapshot.global.s3.account_public_access_block;
    let account = Level::from(account_source);
    let own = Level::from(&bucket.public_access_block);
    let in_force: Vec<&str> = SETTINGS
        .iter()
        .filter(|(_, setting)| account.on(*setting) || own.on(*setting))
        .map(|(name, _)| *name)
        .collect();
    let not_in_force: Vec<&str> = SETTINGS
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| !in_force.contains(n))
        .collect();
    let restricted = in_force.contains(&"RestrictPublicBuckets");
    let (public, policy_note) = match &bucket.policy {
        Source::Collected(Some(text)) => match public_statements(text) {
            Ok(labels) => (labels, None),
            Err(e) => (
                Vec::new(),
                Some(format!("the bucket policy could not be parsed: {e}")),
            ),
        },
        Source::Collected(None) => (Vec::new(), None),
        Source::Failed(failure) => (
            Vec::new(),
            Some(format!(
                "the bucket policy could not be read: {}",
                failure.describe()
            )),
        ),
    };
    let evidence = json!({
        "account_public_access_block": source_value(account_source),
        "bucket_public_access_block": source_value(&bucket.public_access_block),
        "settings_in_force": in_force,
        "settings_not_in_force": not_in_force,
        "policy_public_statements": public,
        "policy_note": policy_note,
    });
    let levels = format!(
        "account level: {}; bucket level: {}",
        account.describe(),
        own.describe()
    );
    let public_text = if public.is_empty() {
        String::new()
    } else if restricted {
        format!(
            " (its policy has public statements {}, neutralized by RestrictPublicBuckets)",
            public.join(", ")
        )
    } else {
        format!(
            "; its bucket policy allows anyone (Principal \"*\" without a condition: {})",
            public.join(", ")
        )
    };
    if not_in_force.is_empty() {
        return Verdict::pass(
            format!(
                "bucket {name} is covered by all four Block Public Access settings ({levels}){public_text}"
            ),
            evidence,
        );
    }
    let unknown = matches!(account, Level::Unknown(_)) || matches!(own, Level::Unknown(_));
    if unknown {
        return Verdict::missing(
            format!(
                "bucket {name}: Block Public Access could not be confirmed ({levels}); \
                 {} not proven in force{public_text}",
                not_in_force.join(", ")
            ),
            evidence,
        );
    }
    Verdict::fail(
        format!(
            "bucket {name} is not fully covered by Block Public Access: {} off at both levels \
             ({levels}){public_text}",
            not_in_force.join(", ")
        ),
        evidence,
    )
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_buckets(ctx, &META, |bucket| grade(ctx, bucket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::GlobalSnapshot;

    const OPEN_POLICY: &str = r#"{"Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::phi-records-111122223333/*"}]}"#;

    fn grade_with(
        account: Source<Option<PublicAccessBlock>>,
        own: Source<Option<PublicAccessBlock>>,
        policy: Option<&str>,
    ) -> Finding {
        let mut global: GlobalSnapshot = global_with_buckets(vec![Bucket {
            public_access_block: own,
            policy: Source::Collected(policy.map(str::to_owned)),
            ..bucket(BUCKET)
        }]);
        global.s3.account_public_access_block = account;
        only_finding(evaluate_global(&CHECK, global))
    }

    fn partial(acls: bool, policy: bool) -> PublicAccessBlock {
        PublicAccessBlock {
            block_public_acls: acls,
            ignore_public_acls: acls,
            block_public_policy: policy,
            restrict_public_buckets: policy,
        }
    }

    #[test]
    fn bucket_level_block_passes() {
        let finding = grade_with(
            Source::Collected(None),
            Source::Collected(Some(all_blocked())),
            None,
        );
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_eq!(finding.region, REGION);
    }

    #[test]
    fn account_level_block_passes_even_when_the_bucket_level_is_unreadable() {
        let finding = grade_with(
            Source::Collected(Some(all_blocked())),
            Source::Failed(failure("s3", "GetPublicAccessBlock")),
            Some(OPEN_POLICY),
        );
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert_mentions(&finding.message, &["neutralized by RestrictPublicBuckets"]);
    }

    #[test]
    fn settings_combine_across_levels() {
        let finding = grade_with(
            Source::Collected(Some(partial(true, false))),
            Source::Collected(Some(partial(false, true))),
            None,
        );
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
    }

    #[test]
    fn missing_settings_fail_naming_each_level_and_a_public_policy() {
        let finding = grade_with(
            Source::Collected(None),
            Source::Collected(Some(partial(true, false))),
            Some(OPEN_POLICY),
        );
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::High);
        assert_mentions(
            &finding.message,
            &[
                "BlockPublicPolicy, RestrictPublicBuckets off at both levels",
                "account level: no Block Public Access configuration",
                "bucket level: BlockPublicPolicy, RestrictPublicBuckets off",
                "allows anyone",
                "PublicRead",
            ],
        );
    }

    #[test]
    fn nothing_configured_fails_without_policy_text() {
        let finding = grade_with(Source::Collected(None), Source::Collected(None), None);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            !finding.message.contains("allows anyone"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn unreadable_levels_that_could_make_it_private_are_errors() {
        let finding = grade_with(
            Source::Failed(failure("s3control", "GetPublicAccessBlock")),
            Source::Collected(Some(partial(true, false))),
            None,
        );
        assert_eq!(finding.status, Status::Error);
        assert_mentions(
            &finding.message,
            &["s3control:GetPublicAccessBlock", "not proven"],
        );
        let finding = grade_with(
            Source::Collected(None),
            Source::Failed(failure("s3", "GetPublicAccessBlock")),
            Some(OPEN_POLICY),
        );
        assert_eq!(finding.status, Status::Error);
        assert_mentions(&finding.message, &["allows anyone"]);
    }
}
