//! BAA checks (seed 002): the accepted Business Associate Addendum, HIPAA-eligible services only,
//! and encryption of the data stores that commonly hold PHI (S3, DynamoDB, SQS, SNS).
//!
//! S3 is global: buckets come from one ListBuckets, each finding is placed in the bucket's own
//! region (or `global` when GetBucketLocation failed), and a failed ListBuckets is one
//! account-level `error`. DynamoDB, SQS and SNS are regional: a failed listing is one
//! region-level `error` ([`crate::network::listed`]).

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::iam::{account_finding, GLOBAL};
use crate::network::listed;
use crate::snapshot::{Bucket, RegionSnapshot, Source};

pub mod baa_accepted;
pub mod dynamodb_table_cmk;
pub mod phi_services_eligible;
pub mod s3_bucket_encrypted;
pub mod s3_bucket_not_public;
pub mod s3_bucket_tls_only;
pub mod sns_topic_encrypted;
pub mod sqs_queue_encrypted;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of an S3 bucket.
pub const BUCKET_TYPE: &str = "AWS::S3::Bucket";
/// Resource type of a DynamoDB table.
pub const TABLE_TYPE: &str = "AWS::DynamoDB::Table";
/// Resource type of an SQS queue.
pub const QUEUE_TYPE: &str = "AWS::SQS::Queue";
/// Resource type of an SNS topic.
pub const TOPIC_TYPE: &str = "AWS::SNS::Topic";
/// Resource type of an AWS service as a whole (phi-services-eligible; id = the IAM prefix).
pub const SERVICE_TYPE: &str = "AWS::::Service";

/// The finding's resource for a bucket (`arn:<partition>:s3:::<name>`).
pub fn bucket_resource(ctx: &Context, name: &str) -> Resource {
    Resource::new(BUCKET_TYPE, name, &bucket_arn(ctx, name))
}

/// A bucket's ARN, empty when the snapshot lacks the partition.
pub fn bucket_arn(ctx: &Context, name: &str) -> String {
    if ctx.snapshot.partition.is_empty() {
        String::new()
    } else {
        format!("arn:{}:s3:::{name}", ctx.snapshot.partition)
    }
}

/// The region a bucket's finding is reported in: its location, or `global` when unknown.
pub fn bucket_region(bucket: &Bucket) -> &str {
    match &bucket.region {
        Source::Collected(region) if !region.is_empty() => region,
        _ => GLOBAL,
    }
}

/// Runs `grade` over every bucket of the account (sorted by name); a failed ListBuckets is one
/// account-level `error`.
pub fn grade_buckets(
    ctx: &Context,
    meta: &CheckMeta,
    grade: impl Fn(&Bucket) -> Verdict,
) -> Vec<Finding> {
    let buckets = match &ctx.snapshot.global.s3.buckets {
        Source::Collected(buckets) => buckets,
        Source::Failed(failure) => {
            return vec![account_finding(
                ctx,
                meta,
                Verdict::error("the account's bucket list (s3:ListBuckets)", failure),
            )]
        }
    };
    let mut sorted: Vec<&Bucket> = buckets.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted
        .into_iter()
        .map(|bucket| {
            meta.finding(
                ctx,
                bucket_region(bucket),
                &bucket_resource(ctx, &bucket.name),
                grade(bucket),
            )
        })
        .collect()
}

/// Runs `grade` over every item of a regional listing (`select` picks it, `what` names it for
/// the error); a failed listing is one region-level `error`.
pub fn grade_regional<T>(
    ctx: &Context,
    meta: &CheckMeta,
    what: &str,
    select: impl Fn(&RegionSnapshot) -> &Source<Vec<T>>,
    resource: impl Fn(&T) -> Resource,
    grade: impl Fn(&RegionSnapshot, &T) -> Verdict,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let Some(items) = listed(ctx, meta, region_name, select(region), what, &mut findings)
        else {
            continue;
        };
        for item in items {
            findings.push(meta.finding(ctx, region_name, &resource(item), grade(region, item)));
        }
    }
    findings
}

/// The last `:`- or `/`-separated part of an ARN or URL (a queue's or topic's name).
pub fn last_segment(text: &str) -> &str {
    text.rsplit([':', '/']).next().unwrap_or(text)
}

/// True for a KMS key reference that names an AWS managed key (`alias/aws/sqs`).
pub fn is_aws_managed_alias(key: &str) -> bool {
    key.starts_with("alias/aws/") || key.contains(":alias/aws/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns_and_urls() {
        assert_eq!(
            last_segment("arn:aws:sqs:us-east-1:111122223333:orders"),
            "orders"
        );
        assert_eq!(
            last_segment("https://sqs.us-east-1.amazonaws.com/111122223333/orders"),
            "orders"
        );
        assert_eq!(last_segment("plain"), "plain");
        assert!(is_aws_managed_alias("alias/aws/sns"));
        assert!(is_aws_managed_alias(
            "arn:aws:kms:us-east-1:1:alias/aws/sqs"
        ));
        assert!(!is_aws_managed_alias("alias/phi-queue"));
    }
}
