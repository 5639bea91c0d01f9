//! s3-bucket-encrypted: every bucket has default encryption (SSE-S3, SSE-KMS or DSSE-KMS).

use serde_json::json;

use super::{grade_buckets, BUCKET_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::iam::ACCOUNT_TYPE;
use crate::snapshot::{Bucket, BucketEncryption, Source};

/// The check: GetBucketEncryption names a server-side encryption algorithm for every bucket.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "s3-bucket-encrypted",
    title: "S3 bucket has default encryption",
    severity: Severity::High,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[BUCKET_TYPE, ACCOUNT_TYPE],
    requirement: "The BAA requires PHI to be encrypted at rest (seed 002: S3 supports \
        server-side encryption with AES-256). Every bucket must have a default encryption rule: \
        SSE-S3 (AES256), SSE-KMS (aws:kms) or dual-layer DSSE-KMS (aws:kms:dsse); the finding \
        says which. Since January 2023 AWS applies SSE-S3 to every new bucket, so a bucket \
        without default encryption is old and real. SSE-KMS with a customer-managed key is \
        preferred for PHI (key policy, CloudTrail record of every decrypt).",
    evidence: &[
        "s3:ListBuckets",
        "s3:GetBucketEncryption",
        "s3:GetBucketLocation",
    ],
    remediation: Remediation {
        summary: "Set default encryption on the bucket (SSE-KMS with a customer-managed key \
            preferred, SSE-S3 at least).",
        console: "S3 > Buckets > the bucket > Properties > Default encryption > Edit > \
            Server-side encryption with AWS KMS keys (SSE-KMS) > choose a customer-managed key, \
            Bucket Key enabled > Save changes. Existing objects keep their encryption: copy them \
            in place (S3 Batch Operations) to re-encrypt.",
        cli:
            "aws s3api put-bucket-encryption --bucket <id> --server-side-encryption-configuration \
              '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\
              \"KMSMasterKeyID\":\"<key-arn>\"},\"BucketKeyEnabled\":true}]}'",
        cloudformation: "AWS::S3::Bucket: BucketEncryption: {ServerSideEncryptionConfiguration: \
            [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: <key-arn>}, \
            BucketKeyEnabled: true}]}",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

/// The strongest recognised default encryption of a bucket (`SSE-KMS with <key>`), or `None`
/// when no rule names a known algorithm.
pub fn describe_encryption(encryption: &BucketEncryption) -> Option<String> {
    let has = |name: &str| {
        encryption
            .algorithms
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(name))
    };
    let keys = if encryption.kms_key_ids.is_empty() {
        " with the AWS managed key aws/s3".to_owned()
    } else {
        format!(" with {}", encryption.kms_key_ids.join(", "))
    };
    if has("aws:kms:dsse") {
        Some(format!("DSSE-KMS (aws:kms:dsse){keys}"))
    } else if has("aws:kms") {
        Some(format!("SSE-KMS (aws:kms){keys}"))
    } else if has("AES256") {
        Some("SSE-S3 (AES256, S3-managed keys)".to_owned())
    } else {
        None
    }
}

/// Why a bucket is known not to be encrypted by default (for phi-services-eligible), or `None`
/// when it is, or when that cannot be told.
pub fn unencrypted_reason(bucket: &Bucket) -> Option<String> {
    match &bucket.encryption {
        Source::Collected(None) => Some(format!(
            "bucket {} has no default encryption (s3-bucket-encrypted)",
            bucket.name
        )),
        _ => None,
    }
}

fn grade(bucket: &Bucket) -> Verdict {
    let name = &bucket.name;
    match &bucket.encryption {
        Source::Failed(failure) => Verdict::error(
            &format!("the default encryption of bucket {name} (s3:GetBucketEncryption)"),
            failure,
        ),
        Source::Collected(None) => Verdict::fail(
            format!(
                "bucket {name} has no default encryption \
                 (ServerSideEncryptionConfigurationNotFoundError); set SSE-KMS or SSE-S3"
            ),
            json!({ "encryption": null }),
        ),
        Source::Collected(Some(encryption)) => {
            let evidence = json!({
                "SSEAlgorithms": encryption.algorithms,
                "KMSMasterKeyIDs": encryption.kms_key_ids,
            });
            match describe_encryption(encryption) {
                Some(kind) => Verdict::pass(
                    format!("bucket {name} is encrypted by default with {kind}"),
                    evidence,
                ),
                None if encryption.algorithms.is_empty() => Verdict::fail(
                    format!(
                        "bucket {name} has an encryption configuration with no rule; set \
                         SSE-KMS or SSE-S3"
                    ),
                    evidence,
                ),
                None => Verdict::manual(
                    format!(
                        "bucket {name} uses an SSE algorithm this tool does not know ({}); \
                         confirm in S3 > the bucket > Properties > Default encryption that it \
                         is server-side encryption",
                        encryption.algorithms.join(", ")
                    ),
                    evidence,
                ),
            }
        }
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_buckets(ctx, &META, grade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baa::fixtures::*;
    use crate::finding::Status;
    use crate::snapshot::{Failure, Source};

    fn grade_bucket(bucket: Bucket) -> Finding {
        only_finding(evaluate_global(&CHECK, global_with_buckets(vec![bucket])))
    }

    fn encrypted(algorithms: &[&str], keys: &[&str]) -> Bucket {
        Bucket {
            encryption: Source::Collected(Some(BucketEncryption {
                algorithms: algorithms.iter().map(|a| (*a).into()).collect(),
                kms_key_ids: keys.iter().map(|k| (*k).into()).collect(),
            })),
            ..bucket(BUCKET)
        }
    }

    #[test]
    fn sse_kms_passes_and_names_the_key() {
        let finding = grade_bucket(bucket(BUCKET));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.region, REGION);
        assert_eq!(finding.resource_type, "AWS::S3::Bucket");
        assert_eq!(
            finding.resource_arn.as_deref(),
            Some("arn:aws:s3:::phi-records-111122223333")
        );
        assert_mentions(&finding.message, &["SSE-KMS", KEY_ARN]);
    }

    #[test]
    fn sse_s3_and_dsse_pass_and_say_which() {
        let finding = grade_bucket(encrypted(&["AES256"], &[]));
        assert_eq!(finding.status, Status::Pass);
        assert_mentions(&finding.message, &["SSE-S3"]);
        let finding = grade_bucket(encrypted(&["aws:kms:dsse"], &[]));
        assert_eq!(finding.status, Status::Pass);
        assert_mentions(&finding.message, &["DSSE-KMS", "aws/s3"]);
    }

    #[test]
    fn no_default_encryption_fails() {
        let finding = grade_bucket(Bucket {
            encryption: Source::Collected(None),
            ..bucket(BUCKET)
        });
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::High);
        assert_mentions(&finding.message, &[BUCKET, "no default encryption"]);
        assert_eq!(grade_bucket(encrypted(&[], &[])).status, Status::Fail);
    }

    #[test]
    fn unknown_algorithm_is_manual() {
        assert_eq!(
            grade_bucket(encrypted(&["aws:future"], &[])).status,
            Status::Manual
        );
    }

    #[test]
    fn unreadable_encryption_is_an_error_in_the_bucket_region_or_global() {
        let finding = grade_bucket(Bucket {
            encryption: Source::Failed(failure("s3", "GetBucketEncryption")),
            ..bucket(BUCKET)
        });
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.region, REGION);
        assert_mentions(&finding.message, &["GetBucketEncryption"]);
        let finding = grade_bucket(Bucket {
            encryption: Source::Failed(failure("s3", "GetBucketEncryption")),
            region: Source::Failed(failure("s3", "GetBucketLocation")),
            ..bucket(BUCKET)
        });
        assert_eq!(finding.region, "global");
    }

    #[test]
    fn bucket_list_unreadable_is_one_account_error() {
        let mut global = compliant_global();
        global.s3.buckets = Source::Failed(Failure::new(
            "s3",
            "ListBuckets",
            "us-east-1",
            "AccessDenied",
            "denied",
        ));
        let finding = only_finding(evaluate_global(&CHECK, global));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_type, "AWS::::Account");
        assert_eq!(finding.region, "global");
        assert_mentions(&finding.message, &["ListBuckets"]);
    }

    #[test]
    fn no_buckets_no_findings() {
        assert!(evaluate_global(&CHECK, global_with_buckets(vec![])).is_empty());
    }
}
