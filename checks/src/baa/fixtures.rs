//! Hand-built snapshots for the BAA checks' unit tests: a compliant account to mutate.

use std::collections::BTreeMap;

use crate::catalog::Check;
use crate::config::{Config, PhiTag};
use crate::finding::Finding;
use crate::snapshot::*;
pub use crate::testing::{evaluate_snapshot, finding_for, only_finding, snapshot_of, status_of};

pub const REGION: &str = "us-east-1";
pub use crate::testing::ACCOUNT;
pub const BUCKET: &str = "phi-records-111122223333";
pub const KEY_ID: &str = "cmk-1";
pub const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/cmk-1";
pub const AWS_DYNAMODB_KEY_ID: &str = "aws-ddb-key";
pub const AWS_DYNAMODB_KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/aws-ddb-key";
pub const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
pub const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:111122223333:intake";
pub const QUEUE_URL: &str = "https://sqs.us-east-1.amazonaws.com/111122223333/intake";
pub const TOPIC_ARN: &str = "arn:aws:sns:us-east-1:111122223333:results";
pub const BAA_NAME: &str = "AWS Business Associate Addendum";

/// A failed call in [`REGION`].
pub fn failure(service: &str, operation: &str) -> Failure {
    Failure::new(service, operation, REGION, "AccessDenied", "not authorized")
}

/// The AWS-documented TLS-only bucket policy for `bucket`.
pub fn tls_policy(bucket: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
    )
}

/// All four Block Public Access settings on.
pub fn all_blocked() -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    }
}

/// A compliant bucket: SSE-KMS, TLS-only policy, bucket Block Public Access on.
pub fn bucket(name: &str) -> Bucket {
    Bucket {
        name: name.into(),
        region: Source::Collected(REGION.into()),
        versioning: Source::Collected(BucketVersioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        logging_target: Source::Collected(Some("access-logs".into())),
        public_access_block: Source::Collected(Some(all_blocked())),
        policy: Source::Collected(Some(tls_policy(name))),
        object_lock: Source::Collected(None),
        encryption: Source::Collected(Some(BucketEncryption {
            algorithms: vec!["aws:kms".into()],
            kms_key_ids: vec![KEY_ARN.into()],
        })),
    }
}

/// The accepted BAA for this account.
pub fn baa() -> CustomerAgreement {
    CustomerAgreement {
        name: BAA_NAME.into(),
        arn: Some("arn:aws:artifact:::customer-agreement/customer-agreement-1".into()),
        state: "ACTIVE".into(),
        agreement_type: Some("DEFAULT".into()),
        organization_arn: None,
        effective_start: Some("2024-03-01T00:00:00Z".parse().expect("valid timestamp")),
    }
}

/// Account-wide evidence: one compliant bucket, no account Block Public Access, an active BAA.
pub fn compliant_global() -> GlobalSnapshot {
    GlobalSnapshot {
        s3: S3Snapshot {
            buckets: Source::Collected(vec![bucket(BUCKET)]),
            account_public_access_block: Source::Collected(None),
        },
        artifact_agreements: Source::Collected(vec![baa()]),
        ..GlobalSnapshot::default()
    }
}

/// Account-wide evidence holding exactly these buckets.
pub fn global_with_buckets(buckets: Vec<Bucket>) -> GlobalSnapshot {
    GlobalSnapshot {
        s3: S3Snapshot {
            buckets: Source::Collected(buckets),
            account_public_access_block: Source::Collected(None),
        },
        ..compliant_global()
    }
}

/// A tagged resource.
pub fn tagged(arn: &str, tags: &[(&str, &str)]) -> TaggedResource {
    TaggedResource {
        arn: arn.into(),
        tags: tags
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// A table encrypted with the customer-managed key.
pub fn table(name: &str) -> DynamoTable {
    DynamoTable {
        name: name.into(),
        arn: format!("arn:aws:dynamodb:us-east-1:111122223333:table/{name}"),
        sse_type: Some("KMS".into()),
        sse_status: Some("ENABLED".into()),
        kms_key_arn: Some(KEY_ARN.into()),
    }
}

/// A queue encrypted with the customer-managed key.
pub fn queue(name: &str) -> SqsQueue {
    SqsQueue {
        url: format!("https://sqs.us-east-1.amazonaws.com/111122223333/{name}"),
        arn: format!("arn:aws:sqs:us-east-1:111122223333:{name}"),
        sqs_managed_sse: false,
        kms_master_key_id: Some(KEY_ARN.into()),
    }
}

/// A topic encrypted with the customer-managed key.
pub fn topic(name: &str) -> SnsTopic {
    SnsTopic {
        arn: format!("arn:aws:sns:us-east-1:111122223333:{name}"),
        kms_master_key_id: Some(KEY_ARN.into()),
    }
}

/// A compliant region: PHI-tagged data stores on eligible services, encrypted with a CMK.
pub fn compliant_region() -> RegionSnapshot {
    RegionSnapshot {
        tagged_resources: Source::Collected(vec![
            tagged(&format!("arn:aws:s3:::{BUCKET}"), &[("DataClass", "PHI")]),
            tagged(TABLE_ARN, &[("DataClass", "ePHI")]),
            tagged(QUEUE_ARN, &[("DataClass", "PHI")]),
            tagged(TOPIC_ARN, &[("Owner", "team")]),
        ]),
        dynamodb_tables: Source::Collected(vec![table("patients")]),
        sqs_queues: Source::Collected(vec![queue("intake")]),
        sns_topics: Source::Collected(vec![topic("results")]),
        kms: KmsSnapshot {
            aliases: Source::Collected(vec![
                KmsAlias {
                    name: "alias/aws/dynamodb".into(),
                    target_key_id: Some(AWS_DYNAMODB_KEY_ID.into()),
                },
                KmsAlias {
                    name: "alias/phi".into(),
                    target_key_id: Some(KEY_ID.into()),
                },
            ]),
            keys: BTreeMap::from([(
                KEY_ARN.to_owned(),
                Source::Collected(KmsKey {
                    key_id: KEY_ID.into(),
                    arn: KEY_ARN.into(),
                    key_manager: "CUSTOMER".into(),
                    key_state: "Enabled".into(),
                }),
            )]),
        },
        // A recorder exists and its (empty) resource counts were read.
        config_service: crate::snapshot::ConfigServiceSnapshot {
            discovered_resource_counts: Some(Source::Collected(Default::default())),
            ..Default::default()
        },
        ..RegionSnapshot::default()
    }
}

/// Runs one check over one region (plus the compliant global evidence) with the default config.
pub fn evaluate(check: &Check, region: RegionSnapshot) -> Vec<Finding> {
    evaluate_snapshot(
        check,
        &snapshot_of(vec![(REGION, region)], compliant_global()),
        &Config::default(),
    )
}

/// Runs one check over the compliant region and the given global evidence.
pub fn evaluate_global(check: &Check, global: GlobalSnapshot) -> Vec<Finding> {
    evaluate_snapshot(
        check,
        &snapshot_of(vec![(REGION, compliant_region())], global),
        &Config::default(),
    )
}

/// The default config with `phi_tag = { key = "DataClass", values = ["PHI", "ePHI"] }`.
pub fn phi_config() -> Config {
    Config {
        phi_tag: Some(PhiTag {
            key: "DataClass".into(),
            values: vec!["PHI".into(), "ePHI".into()],
        }),
        ..Config::default()
    }
}

/// Asserts `message` contains every one of `parts`, naming the missing one.
pub fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "missing {part:?} in: {message}");
    }
}
