//! cloudtrail-bucket-protected: each trail's S3 bucket is not public, has server access logging,
//! and keeps deleted or overwritten log files (versioning or object lock).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::cloudtrail_multi_region::owner_account;
use super::{trails, BUCKET_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::{account_finding, ACCOUNT_TYPE};
use crate::policy::public_statements;
use crate::snapshot::{Bucket, Failure, PublicAccessBlock, Source, Trail};

/// The check: one finding per trail bucket.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "cloudtrail-bucket-protected",
    title: "CloudTrail log buckets are private, access-logged and versioned",
    severity: Severity::Medium,
    hipaa: &["164.312(c)(1)"],
    baa: BaaRule::Integrity,
    resource_types: &[BUCKET_TYPE, ACCOUNT_TYPE],
    requirement: "Audit logs are only evidence while nobody can read them freely or quietly \
        remove them (seed 004: protect logs against modification, restrict who can read them, \
        require MFA to delete them). Each bucket a trail delivers to must (1) have all four \
        Block Public Access settings in force, each on at the account or the bucket level as \
        S3 applies them (a bucket policy that allows Principal \"*\" without a condition is \
        reported too), (2) have server access logging on, so reads and deletions of log files are \
        themselves recorded, and (3) keep every version of a log file: versioning Enabled \
        (MFA delete is reported) or S3 Object Lock. A bucket owned by another account (an \
        organization log archive) cannot be read from here and is left to a person.",
    evidence: &[
        "cloudtrail:DescribeTrails S3BucketName (every scanned region)",
        "s3:ListBuckets",
        "s3:GetPublicAccessBlock",
        "s3control:GetPublicAccessBlock (account level)",
        "s3:GetBucketPolicy",
        "s3:GetBucketLogging",
        "s3:GetBucketVersioning",
        "s3:GetObjectLockConfiguration",
    ],
    remediation: Remediation {
        summary: "Block all public access to the log bucket, turn on server access logging, and \
            enable versioning (with MFA delete) or Object Lock.",
        console: "S3 > Buckets > the trail's bucket > Permissions > Block public access (bucket \
            settings) > Edit > tick 'Block all public access' > Save; Properties > Server access \
            logging > Edit > Enable, choose a separate target bucket > Save; Properties > Bucket \
            Versioning > Edit > Enable > Save (MFA delete can only be enabled by the root user \
            with the CLI); or Properties > Object Lock > Edit > enable with a default retention.",
        cli: "aws s3api put-public-access-block --bucket <id> --public-access-block-configuration \
              BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\n\
              aws s3api put-bucket-logging --bucket <id> --bucket-logging-status \
              '{\"LoggingEnabled\":{\"TargetBucket\":\"<access-log-bucket>\",\"TargetPrefix\":\"<id>/\"}}'\n\
              aws s3api put-bucket-versioning --bucket <id> --versioning-configuration Status=Enabled\n\
              (as root, with MFA: aws s3api put-bucket-versioning --bucket <id> \
              --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa '<serial> <code>')",
        cloudformation: "AWS::S3::Bucket: PublicAccessBlockConfiguration (all four true), \
            LoggingConfiguration: {DestinationBucketName: <access-log-bucket>}, \
            VersioningConfiguration: {Status: Enabled} (or ObjectLockEnabled: true with \
            ObjectLockConfiguration)",
    },
    seeds: &["seed 004", "seed 003"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let (all, failures) = trails(ctx);
    let mut findings: Vec<Finding> = failures
        .iter()
        .map(|failure| {
            META.finding(
                ctx,
                &failure.region,
                &Resource::region(&failure.region),
                Verdict::error("the region's trails (cloudtrail:DescribeTrails)", failure),
            )
        })
        .collect();
    if all.is_empty() && failures.is_empty() {
        let verdict = if ctx.snapshot.regions.is_empty() {
            Verdict::missing(
                "no region was scanned, so no trail could be read",
                json!({}),
            )
        } else {
            Verdict::fail(
                "the account has no CloudTrail trail in the scanned regions, so there is no log \
                 bucket to check; create one (see cloudtrail-multi-region)",
                json!({ "trails": [] }),
            )
        };
        return vec![account_finding(ctx, &META, verdict)];
    }

    let mut by_bucket: BTreeMap<&str, Vec<&Trail>> = BTreeMap::new();
    for trail in all {
        match trail
            .s3_bucket_name
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            Some(bucket) => by_bucket.entry(bucket).or_default().push(trail),
            None => findings.push(META.finding(
                ctx,
                &trail.home_region,
                &super::trail_resource(trail),
                Verdict::missing(
                    format!(
                        "DescribeTrails returned no S3BucketName for trail {}, so its log \
                         bucket cannot be checked",
                        trail.name
                    ),
                    super::trail_evidence(trail),
                ),
            )),
        }
    }

    for (name, trails) in by_bucket {
        let trail_names: Vec<&str> = trails.iter().map(|t| t.name.as_str()).collect();
        let home = trails.first().map_or("", |t| t.home_region.as_str());
        let (region, verdict) = match &ctx.snapshot.global.s3.buckets {
            Source::Failed(failure) => (
                home.to_owned(),
                Verdict::error("the account's bucket list (s3:ListBuckets)", failure),
            ),
            Source::Collected(buckets) => match buckets.iter().find(|b| b.name == name) {
                None => (home.to_owned(), foreign_bucket(ctx, name, &trails)),
                Some(bucket) => {
                    let region = match &bucket.region {
                        Source::Collected(region) => region.clone(),
                        Source::Failed(_) => home.to_owned(),
                    };
                    (region, grade_bucket(ctx, bucket, &trail_names))
                }
            },
        };
        findings.push(META.finding(ctx, &region, &bucket_resource(ctx, name), verdict));
    }
    findings
}

fn bucket_resource(ctx: &Context, name: &str) -> Resource {
    let arn = if ctx.snapshot.partition.is_empty() {
        String::new()
    } else {
        format!("arn:{}:s3:::{name}", ctx.snapshot.partition)
    };
    Resource::new(BUCKET_TYPE, name, &arn)
}

fn foreign_bucket(ctx: &Context, name: &str, trails: &[&Trail]) -> Verdict {
    let owners: BTreeSet<&str> = trails
        .iter()
        .filter_map(|t| owner_account(t))
        .filter(|owner| *owner != ctx.snapshot.account_id)
        .collect();
    let hint = if owners.is_empty() {
        String::new()
    } else {
        format!(
            " (the trail belongs to account {})",
            owners.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    Verdict::manual(
        format!(
            "bucket {name} (trail {}) is not in this account (organization or central \
             log-archive bucket): check it in the owning account{hint}: Block Public Access on, \
             server access logging on, versioning or Object Lock on",
            trails
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        json!({ "bucket": name, "trails": trails.iter().map(|t| &t.arn).collect::<Vec<_>>() }),
    )
}

/// What grading one bucket found: protections missing, evidence unreadable, extra facts.
#[derive(Default)]
struct Assessment<'a> {
    missing: Vec<String>,
    unreadable: Vec<(&'static str, &'a Failure)>,
    notes: Vec<String>,
}

fn grade_bucket<'a>(ctx: &Context<'a>, bucket: &'a Bucket, trail_names: &[&str]) -> Verdict {
    let mut a = Assessment::default();
    let account = &ctx.snapshot.global.s3.account_public_access_block;
    public_access(account, bucket, &mut a);
    access_logging(bucket, &mut a);
    retention(bucket, &mut a);

    let evidence = json!({
        "bucket": bucket.name,
        "trails": trail_names,
        "public_access_block": source_value(&bucket.public_access_block),
        "account_public_access_block": source_value(account),
        "policy_public_statements": policy_public_statements(bucket),
        "logging_target": source_value(&bucket.logging_target),
        "versioning": source_value(&bucket.versioning),
        "object_lock": source_value(&bucket.object_lock),
        "notes": a.notes,
        "collection_errors": a.unreadable.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
    });
    let subject = format!(
        "log bucket {} (trail {})",
        bucket.name,
        trail_names.join(", ")
    );
    let unreadable: Vec<String> = a
        .unreadable
        .iter()
        .map(|(what, failure)| format!("{what}: {}", failure.describe()))
        .collect();
    if !a.missing.is_empty() {
        let mut message = format!("{subject} is missing protection: {}", a.missing.join("; "));
        if !unreadable.is_empty() {
            message.push_str(&format!(" (also unreadable: {})", unreadable.join("; ")));
        }
        return Verdict::fail(message, evidence);
    }
    if !unreadable.is_empty() {
        return Verdict::missing(
            format!(
                "{subject}: the protection could not be confirmed because {} could not be \
                 collected",
                unreadable.join("; ")
            ),
            evidence,
        );
    }
    let mut message =
        format!("{subject} blocks public access, is access-logged and keeps old log versions");
    if !a.notes.is_empty() {
        message.push_str(&format!(" ({})", a.notes.join("; ")));
    }
    Verdict::pass(message, evidence)
}

/// Requirement (1): all four Block Public Access settings in force for the bucket (each on at
/// the account or the bucket level, as S3 applies them); a public policy is reported when
/// RestrictPublicBuckets does not neutralize it.
fn public_access<'a>(
    account: &'a Source<Option<PublicAccessBlock>>,
    bucket: &'a Bucket,
    a: &mut Assessment<'a>,
) {
    let restricted = match (account, &bucket.public_access_block) {
        (Source::Collected(account), Source::Collected(own)) => {
            let in_force = PublicAccessBlock::combined(account.as_ref(), own.as_ref());
            if !in_force.all_on() {
                a.missing.push(if account.is_none() && own.is_none() {
                    "the bucket has no Block Public Access configuration, and neither has the \
                     account"
                        .to_owned()
                } else {
                    format!(
                        "Block Public Access is not fully on ({} off at both the account and \
                         the bucket level)",
                        settings_off(&in_force).join(", ")
                    )
                });
            }
            in_force.restrict_public_buckets
        }
        // One level alone can settle it when all four are on there.
        (Source::Collected(Some(pab)), Source::Failed(_))
        | (Source::Failed(_), Source::Collected(Some(pab)))
            if pab.all_on() =>
        {
            true
        }
        (Source::Failed(failure), _) => {
            a.unreadable.push((
                "the account's Block Public Access settings (s3:GetAccountPublicAccessBlock)",
                failure,
            ));
            false
        }
        (_, Source::Failed(failure)) => {
            a.unreadable.push((
                "its Block Public Access settings (s3:GetPublicAccessBlock)",
                failure,
            ));
            false
        }
    };
    if restricted {
        return;
    }
    match &bucket.policy {
        Source::Collected(Some(text)) => match public_statements(text) {
            Ok(labels) if !labels.is_empty() => a.missing.push(format!(
                "its bucket policy allows anyone (Principal \"*\" without a condition: {})",
                labels.join(", ")
            )),
            Ok(_) => {}
            Err(problem) => a
                .notes
                .push(format!("the bucket policy could not be parsed: {problem}")),
        },
        Source::Collected(None) => {}
        // The decision rests on Block Public Access; the policy only adds detail.
        Source::Failed(failure) => a.notes.push(format!(
            "the bucket policy could not be read: {}",
            failure.describe()
        )),
    }
}

/// Requirement (2): server access logging on.
fn access_logging<'a>(bucket: &'a Bucket, a: &mut Assessment<'a>) {
    match &bucket.logging_target {
        Source::Collected(Some(_)) => {}
        Source::Collected(None) => a.missing.push("server access logging is off".to_owned()),
        Source::Failed(failure) => a
            .unreadable
            .push(("its access-logging setting (s3:GetBucketLogging)", failure)),
    }
}

/// Requirement (3): versioning Enabled or Object Lock enabled. Object Lock needs versioning
/// (and forbids suspending it), so a collected versioning status other than Enabled settles
/// the question even when the Object Lock read failed; a failed versioning read matters only
/// when Object Lock is not known to be on.
fn retention<'a>(bucket: &'a Bucket, a: &mut Assessment<'a>) {
    let lock = match &bucket.object_lock {
        Source::Collected(Some(lock)) if lock.enabled => Some(lock),
        _ => None,
    };
    if let Some(lock) = lock {
        let mut note = "Object Lock is on".to_owned();
        if let Some(mode) = &lock.mode {
            note.push_str(&format!(" ({mode}"));
            if let Some(days) = lock.retention_days {
                note.push_str(&format!(", {days} days"));
            }
            note.push(')');
        }
        a.notes.push(note);
    }
    match &bucket.versioning {
        Source::Collected(versioning) => {
            let enabled = versioning
                .status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
            let mfa_delete = versioning
                .mfa_delete
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
            if enabled {
                a.notes.push(if mfa_delete {
                    "versioning on with MFA delete".to_owned()
                } else {
                    "versioning on, MFA delete off".to_owned()
                });
            } else if lock.is_none() {
                a.missing.push(format!(
                    "versioning is {} and Object Lock is off, so deleted or overwritten log \
                     files cannot be recovered",
                    versioning.status.as_deref().unwrap_or("never enabled")
                ));
            }
        }
        Source::Failed(failure) if lock.is_none() => {
            a.unreadable
                .push(("its versioning status (s3:GetBucketVersioning)", failure));
            if let Source::Failed(lock_failure) = &bucket.object_lock {
                a.unreadable.push((
                    "its Object Lock configuration (s3:GetObjectLockConfiguration)",
                    lock_failure,
                ));
            }
        }
        Source::Failed(_) => {}
    }
}

fn settings_off(pab: &PublicAccessBlock) -> Vec<&'static str> {
    [
        ("BlockPublicAcls", pab.block_public_acls),
        ("IgnorePublicAcls", pab.ignore_public_acls),
        ("BlockPublicPolicy", pab.block_public_policy),
        ("RestrictPublicBuckets", pab.restrict_public_buckets),
    ]
    .into_iter()
    .filter(|(_, on)| !on)
    .map(|(name, _)| name)
    .collect()
}

fn source_value<T: serde::Serialize>(source: &Source<T>) -> Value {
    serde_json::to_value(source).unwrap_or(Value::Null)
}

fn policy_public_statements(bucket: &Bucket) -> Value {
    match &bucket.policy {
        Source::Collected(Some(text)) => match public_statements(text) {
            Ok(labels) => json!(labels),
            Err(problem) => json!({ "unparsable": problem.to_string() }),
        },
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::{BucketVersioning, ObjectLock};

    fn grade(bucket: Bucket) -> Finding {
        let snapshot = snapshot_of(
            vec![(REGION, compliant_region())],
            global_with_buckets(vec![bucket]),
        );
        only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()))
    }

    fn s3_failure(operation: &str) -> Failure {
        failure("s3", operation)
    }

    #[test]
    fn protected_bucket_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::S3::Bucket");
        assert_eq!(finding.resource_id, TRAIL_BUCKET);
        assert_eq!(
            finding.resource_arn.as_deref(),
            Some("arn:aws:s3:::cloudtrail-logs-111122223333")
        );
        assert_eq!(finding.region, REGION);
        assert!(
            finding.message.contains("MFA delete off"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn fail_lists_every_missing_protection() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.public_access_block = Source::Collected(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: false,
            restrict_public_buckets: false,
        }));
        bucket.policy = Source::Collected(Some(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
                .into(),
        ));
        bucket.logging_target = Source::Collected(None);
        bucket.versioning = Source::Collected(BucketVersioning {
            status: Some("Suspended".into()),
            mfa_delete: None,
        });
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Fail);
        for expected in [
            "BlockPublicPolicy, RestrictPublicBuckets off",
            "allows anyone",
            "Open",
            "access logging is off",
            "versioning is Suspended",
        ] {
            assert!(
                finding.message.contains(expected),
                "{expected}: {}",
                finding.message
            );
        }
    }

    #[test]
    fn account_level_block_public_access_counts() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.public_access_block = Source::Collected(None);
        let mut global = global_with_buckets(vec![bucket.clone()]);
        global.s3.account_public_access_block = Source::Collected(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }));
        let snapshot = snapshot_of(vec![(REGION, compliant_region())], global.clone());
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()));
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);

        // The account level unreadable and the bucket level off: not proven either way.
        global.s3.account_public_access_block =
            Source::Failed(s3_failure("GetAccountPublicAccessBlock"));
        let snapshot = snapshot_of(vec![(REGION, compliant_region())], global);
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()));
        assert_eq!(finding.status, Status::Error, "{}", finding.message);
        assert!(
            finding.message.contains("GetAccountPublicAccessBlock"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn missing_block_public_access_fails_even_with_a_private_policy() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.public_access_block = Source::Collected(None);
        bucket.policy = Source::Collected(Some(
            r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}}"#.into(),
        ));
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("no Block Public Access"),
            "{}",
            finding.message
        );
        assert!(
            !finding.message.contains("allows anyone"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn public_statement_detection() {
        let open =
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert_eq!(public_statements(open), Ok(vec!["statement 1".to_owned()]));
        let list = r#"{"Statement":[{"Sid":"L","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"s3:*"}]}"#;
        assert_eq!(public_statements(list), Ok(vec!["L".to_owned()]));
        let conditioned = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
        assert_eq!(public_statements(conditioned), Ok(vec![]));
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        assert_eq!(public_statements(deny), Ok(vec![]));
        let service = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject"}]}"#;
        assert_eq!(public_statements(service), Ok(vec![]));
        assert!(public_statements("not json").is_err());
    }

    #[test]
    fn object_lock_without_versioning_read_passes() {
        // moto cannot parse GetBucketVersioning: with Object Lock on, that read does not matter.
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.versioning = Source::Failed(s3_failure("GetBucketVersioning"));
        bucket.object_lock = Source::Collected(Some(ObjectLock {
            enabled: true,
            mode: Some("COMPLIANCE".into()),
            retention_days: Some(365),
        }));
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Pass, "{}", finding.message);
        assert!(
            finding
                .message
                .contains("Object Lock is on (COMPLIANCE, 365 days)"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn object_lock_alone_passes_even_with_versioning_reported_off() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.versioning = Source::Collected(BucketVersioning::default());
        bucket.object_lock = Source::Collected(Some(ObjectLock {
            enabled: true,
            mode: None,
            retention_days: None,
        }));
        assert_eq!(grade(bucket).status, Status::Pass);
    }

    #[test]
    fn versioning_read_failing_without_object_lock_is_an_error() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.versioning = Source::Failed(s3_failure("GetBucketVersioning"));
        let finding = grade(bucket.clone());
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetBucketVersioning"),
            "{}",
            finding.message
        );

        bucket.object_lock = Source::Failed(s3_failure("GetObjectLockConfiguration"));
        let finding = grade(bucket.clone());
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetObjectLockConfiguration"),
            "{}",
            finding.message
        );

        // A definite gap elsewhere makes it a fail that still names the unreadable call.
        bucket.logging_target = Source::Collected(None);
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("also unreadable"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn versioning_off_settles_it_even_when_object_lock_is_unreadable() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.versioning = Source::Collected(BucketVersioning::default());
        bucket.object_lock = Source::Failed(s3_failure("GetObjectLockConfiguration"));
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("never enabled"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn unreadable_settings_are_errors() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.public_access_block = Source::Failed(s3_failure("GetPublicAccessBlock"));
        assert_eq!(grade(bucket).status, Status::Error);
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.logging_target = Source::Failed(s3_failure("GetBucketLogging"));
        assert_eq!(grade(bucket).status, Status::Error);
        // The policy only adds detail once Block Public Access is fully on.
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.policy = Source::Failed(s3_failure("GetBucketPolicy"));
        assert_eq!(grade(bucket).status, Status::Pass);
    }

    #[test]
    fn mfa_delete_is_reported() {
        let mut bucket = protected_bucket(TRAIL_BUCKET);
        bucket.versioning = Source::Collected(BucketVersioning {
            status: Some("Enabled".into()),
            mfa_delete: Some("Enabled".into()),
        });
        let finding = grade(bucket);
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("with MFA delete"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn a_bucket_of_another_account_is_manual() {
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![org_trail()])));
        assert_eq!(finding.status, Status::Manual);
        assert_eq!(finding.resource_id, "org-log-archive");
        assert!(
            finding.message.contains("not in this account"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("999999999999"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn trails_sharing_a_bucket_give_one_finding() {
        let second = Trail {
            name: "second".into(),
            arn: "arn:aws:cloudtrail:us-east-1:111122223333:trail/second".into(),
            ..trail()
        };
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![trail(), second])));
        assert_eq!(finding.status, Status::Pass);
        assert!(
            finding.message.contains("management, second"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn bucket_list_unreadable_is_an_error() {
        let mut global = compliant_global();
        global.s3.buckets = Source::Failed(s3_failure("ListBuckets"));
        let snapshot = snapshot_of(vec![(REGION, compliant_region())], global);
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &Config::default()));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("ListBuckets"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn no_trail_and_unreadable_trails() {
        let finding = only_finding(evaluate(&CHECK, with_trails(vec![])));
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.resource_type, "AWS::::Account");

        let mut region = compliant_region();
        region.cloudtrail.trails = Source::Failed(failure("cloudtrail", "DescribeTrails"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
    }
}
