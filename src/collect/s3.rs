//! S3 collector: the account's buckets and the settings that protect them, each read in the
//! bucket's own region.

use aws_sdk_s3::types as sdk;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    Bucket, BucketEncryption, BucketVersioning, CustomerAgreement, ObjectLock, PublicAccessBlock,
    S3Snapshot,
};
use hipaa_checks::Source;

use super::{optional, source, GlobalClients};

/// The region a GetBucketLocation constraint names (`None`/empty = us-east-1, `EU` = eu-west-1).
pub fn region_of_constraint(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(other) => other.to_owned(),
    }
}

/// ListBuckets (all pages), then for each bucket its location and protection settings.
pub async fn collect(c: &GlobalClients) -> S3Snapshot {
    let home = c.region.as_str();
    let listed = c
        .limiter
        .run(c.s3.list_buckets().into_paginator().send().try_collect());
    let account_public_access_block = async {
        let answer = c
            .limiter
            .run(
                c.s3control
                    .get_public_access_block()
                    .account_id(&c.account_id)
                    .send(),
            )
            .await;
        optional(
            answer,
            "s3",
            "GetAccountPublicAccessBlock",
            home,
            &["NoSuchPublicAccessBlockConfiguration"],
            |out| {
                out.public_access_block_configuration()
                    .map(|p| PublicAccessBlock {
                        block_public_acls: p.block_public_acls().unwrap_or(false),
                        ignore_public_acls: p.ignore_public_acls().unwrap_or(false),
                        block_public_policy: p.block_public_policy().unwrap_or(false),
                        restrict_public_buckets: p.restrict_public_buckets().unwrap_or(false),
                    })
            },
        )
    };
    let (listed, account_public_access_block) = tokio::join!(listed, account_public_access_block);
    let names = match source(listed, "s3", "ListBuckets", home, |pages| {
        let mut names: Vec<String> = pages
            .iter()
            .flat_map(|p| p.buckets())
            .filter_map(|b| b.name().map(str::to_owned))
            .collect();
        names.sort();
        names
    }) {
        Source::Collected(names) => names,
        Source::Failed(failure) => {
            return S3Snapshot {
                buckets: Source::Failed(failure),
                account_public_access_block,
            }
        }
    };
    let buckets = join_all(names.into_iter().map(|name| bucket(c, name))).await;
    S3Snapshot {
        buckets: Source::Collected(buckets),
        account_public_access_block,
    }
}

async fn bucket(c: &GlobalClients, name: String) -> Bucket {
    let home = c.region.as_str();
    let location = c
        .limiter
        .run(c.s3.get_bucket_location().bucket(&name).send())
        .await;
    let region = source(location, "s3", "GetBucketLocation", home, |out| {
        region_of_constraint(out.location_constraint().map(|l| l.as_str()))
    });
    let bucket_region = match &region {
        Source::Collected(bucket_region) => bucket_region.clone(),
        // Without the region no other setting can be read; each carries the location failure.
        Source::Failed(failure) => {
            return Bucket {
                versioning: Source::Failed(failure.clone()),
                logging_target: Source::Failed(failure.clone()),
                public_access_block: Source::Failed(failure.clone()),
                policy: Source::Failed(failure.clone()),
                object_lock: Source::Failed(failure.clone()),
                encryption: Source::Failed(failure.clone()),
                name,
                region,
            }
        }
    };
    let s3 = c.s3_in(&bucket_region);
    let at = bucket_region.as_str();
    let (versioning, logging, access_block, policy, lock, encryption) = tokio::join!(
        c.limiter
            .run(s3.get_bucket_versioning().bucket(&name).send()),
        c.limiter.run(s3.get_bucket_logging().bucket(&name).send()),
        c.limiter
            .run(s3.get_public_access_block().bucket(&name).send()),
        c.limiter.run(s3.get_bucket_policy().bucket(&name).send()),
        c.limiter
            .run(s3.get_object_lock_configuration().bucket(&name).send()),
        c.limiter
            .run(s3.get_bucket_encryption().bucket(&name).send()),
    );
    Bucket {
        versioning: source(versioning, "s3", "GetBucketVersioning", at, |v| {
            BucketVersioning {
                status: v.status().map(|s| s.as_str().to_owned()),
                mfa_delete: v.mfa_delete().map(|m| m.as_str().to_owned()),
            }
        }),
        logging_target: source(logging, "s3", "GetBucketLogging", at, |l| {
            l.logging_enabled().map(|e| e.target_bucket().to_owned())
        }),
        public_access_block: optional(
            access_block,
            "s3",
            "GetPublicAccessBlock",
            at,
            &["NoSuchPublicAccessBlockConfiguration"],
            |out| {
                out.public_access_block_configuration().map(
                    |p: &sdk::PublicAccessBlockConfiguration| PublicAccessBlock {
                        block_public_acls: p.block_public_acls().unwrap_or(false),
                        ignore_public_acls: p.ignore_public_acls().unwrap_or(false),
                        block_public_policy: p.block_public_policy().unwrap_or(false),
                        restrict_public_buckets: p.restrict_public_buckets().unwrap_or(false),
                    },
                )
            },
        ),
        policy: optional(
            policy,
            "s3",
            "GetBucketPolicy",
            at,
            &["NoSuchBucketPolicy"],
            |out| out.policy().map(str::to_owned),
        ),
        object_lock: optional(
            lock,
            "s3",
            "GetObjectLockConfiguration",
            at,
            &["ObjectLockConfigurationNotFoundError"],
            |out| {
                out.object_lock_configuration().map(|o| {
                    let retention = o.rule().and_then(|r| r.default_retention());
                    ObjectLock {
                        enabled: o.object_lock_enabled() == Some(&sdk::ObjectLockEnabled::Enabled),
                        mode: retention
                            .and_then(|r| r.mode())
                            .map(|m| m.as_str().to_owned()),
                        retention_days: retention.and_then(|r| {
                            r.days()
                                .or_else(|| r.years().map(|y| y.saturating_mul(365)))
                        }),
                    }
                })
            },
        ),
        encryption: optional(
            encryption,
            "s3",
            "GetBucketEncryption",
            at,
            &["ServerSideEncryptionConfigurationNotFoundError"],
            |out| {
                let rules = out
                    .server_side_encryption_configuration()
                    .map(|c| c.rules())
                    .unwrap_or_default();
                let defaults: Vec<_> = rules
                    .iter()
                    .filter_map(|r| r.apply_server_side_encryption_by_default())
                    .collect();
                (!defaults.is_empty()).then(|| BucketEncryption {
                    algorithms: defaults
                        .iter()
                        .map(|d| d.sse_algorithm().as_str().to_owned())
                        .collect(),
                    kms_key_ids: defaults
                        .iter()
                        .filter_map(|d| d.kms_master_key_id().map(str::to_owned))
                        .collect(),
                })
            },
        ),
        name,
        region,
    }
}

/// AWS Artifact ListCustomerAgreements (all pages): the agreements the account accepted.
pub async fn artifact_agreements(c: &GlobalClients) -> Source<Vec<CustomerAgreement>> {
    let listed = c
        .limiter
        .run(
            c.artifact
                .list_customer_agreements()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    super::listing(
        listed,
        "artifact",
        "ListCustomerAgreements",
        c.artifact
            .config()
            .region()
            .map_or(c.region.as_str(), |r| r.as_ref()),
        |a: &aws_sdk_artifact::types::CustomerAgreementSummary| CustomerAgreement {
            name: a.name().unwrap_or_default().to_owned(),
            arn: a.arn().map(str::to_owned),
            state: a.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            agreement_type: a.r#type().map(|t| t.as_str().to_owned()),
            organization_arn: a.organization_arn().map(str::to_owned),
            effective_start: a
                .effective_start()
                .and_then(|t| jiff::Timestamp::from_second(t.secs()).ok()),
        },
        |a| &a.name,
    )
}
