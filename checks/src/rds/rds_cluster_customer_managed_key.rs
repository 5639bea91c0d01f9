//! rds-cluster-customer-managed-key: encrypted with a customer-managed KMS key, not aws/rds.

use serde_json::json;

use super::{grade_targets, DbTarget, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{RegionSnapshot, Source};

/// The check: the KMS key behind the storage is customer managed.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-customer-managed-key",
    title: "DB cluster is encrypted with a customer-managed KMS key",
    severity: Severity::Low,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "A customer-managed key lets you control its key policy, rotation and \
        disablement, audit every use in CloudTrail, and share encrypted snapshots; the AWS-managed \
        aws/rds key allows none of that. A key counts as AWS managed when KMS reports \
        KeyManager=AWS or an alias/aws/* alias points at it.",
    evidence: &[
        "rds:DescribeDBClusters KmsKeyId",
        "kms:DescribeKey KeyManager",
        "kms:ListAliases",
    ],
    remediation: Remediation {
        summary: "Re-encrypt through a snapshot copy under a customer-managed KMS key.",
        console: "KMS > Create key (symmetric) > RDS > Snapshots > Copy snapshot with that key > \
            Restore > repoint clients.",
        cli: "aws kms create-key --description 'RDS PHI'\n\
              aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <snapshot> \
              --target-db-cluster-snapshot-identifier <snapshot>-cmk --kms-key-id <key-arn>",
        cloudformation: "AWS::RDS::DBCluster: KmsKeyId: !GetAtt RdsKey.Arn (AWS::KMS::Key)",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

fn is_aws_alias(name: &str) -> bool {
    name.starts_with("alias/aws/") || name.contains(":alias/aws/")
}

fn grade(target: &DbTarget, region: &RegionSnapshot) -> Verdict {
    let noun = target.noun();
    let id = target.id;
    if !target.storage_encrypted {
        return Verdict::fail(
            format!("{noun} {id} is not encrypted at all (see rds-cluster-storage-encrypted)"),
            json!({ "StorageEncrypted": false }),
        );
    }
    let Some(key_ref) = target.kms_key_id else {
        return Verdict::missing(
            format!("{noun} {id} is encrypted but reports no KmsKeyId"),
            json!({ "StorageEncrypted": true, "KmsKeyId": null }),
        );
    };
    if is_aws_alias(key_ref) {
        return Verdict::fail(
            format!("{noun} {id} uses the AWS-managed key {key_ref}; use a customer-managed key"),
            json!({ "KmsKeyId": key_ref }),
        );
    }
    let key = match region.kms.keys.get(key_ref) {
        Some(Source::Collected(key)) => key,
        Some(Source::Failed(failure)) => {
            return Verdict::error(&format!("KMS key {key_ref} of {noun} {id}"), failure)
        }
        None => {
            return Verdict::missing(
                format!("KMS key {key_ref} of {noun} {id} was not described"),
                json!({ "KmsKeyId": key_ref }),
            )
        }
    };
    let aws_alias = match &region.kms.aliases {
        Source::Collected(aliases) => aliases
            .iter()
            .find(|a| {
                is_aws_alias(&a.name) && a.target_key_id.as_deref() == Some(key.key_id.as_str())
            })
            .map(|a| a.name.clone()),
        Source::Failed(_) => None,
    };
    let evidence = json!({
        "KmsKeyId": key_ref,
        "KeyManager": key.key_manager,
        "KeyState": key.key_state,
        "AwsAlias": aws_alias,
    });
    if key.key_manager == "AWS" || aws_alias.is_some() {
        Verdict::fail(
            format!("{noun} {id} is encrypted with an AWS-managed key; use a customer-managed key"),
            evidence,
        )
    } else {
        Verdict::pass(
            format!("{noun} {id} uses customer-managed key {}", key.key_id),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, grade)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, KmsKey};

    #[test]
    fn pass_with_customer_key() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(status_of(&findings, "pg-main"), Status::Pass);
    }

    #[test]
    fn fail_with_aws_managed_key_by_key_manager_or_alias() {
        let mut region = with_clusters(
            compliant_region(),
            vec![
                DbCluster {
                    kms_key_id: Some("arn:aws:kms:us-east-1:111122223333:key/aws-rds-key".into()),
                    ..pg_cluster("by-alias")
                },
                DbCluster {
                    kms_key_id: Some("aws-managed".into()),
                    ..pg_cluster("by-manager")
                },
                DbCluster {
                    kms_key_id: Some("alias/aws/rds".into()),
                    ..pg_cluster("by-name")
                },
            ],
        );
        region.kms.keys.insert(
            "arn:aws:kms:us-east-1:111122223333:key/aws-rds-key".into(),
            Source::Collected(KmsKey {
                key_id: "aws-rds-key".into(),
                key_manager: "CUSTOMER".into(),
                ..KmsKey::default()
            }),
        );
        region.kms.keys.insert(
            "aws-managed".into(),
            Source::Collected(KmsKey {
                key_id: "other".into(),
                key_manager: "AWS".into(),
                ..KmsKey::default()
            }),
        );
        let findings = evaluate(&CHECK, region);
        for id in ["by-alias", "by-manager", "by-name"] {
            assert_eq!(status_of(&findings, id), Status::Fail, "{id}");
        }
    }

    #[test]
    fn fail_when_unencrypted() {
        let region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                storage_encrypted: false,
                ..pg_cluster("plain")
            }],
        );
        assert_eq!(status_of(&evaluate(&CHECK, region), "plain"), Status::Fail);
    }

    #[test]
    fn error_when_describe_key_failed() {
        let mut region = compliant_region();
        region
            .kms
            .keys
            .insert(KEY_ARN.into(), Source::Failed(failure("DescribeKey")));
        let finding = finding_for(&evaluate(&CHECK, region), "pg-main").clone();
        assert_eq!(finding.status, Status::Error);
        assert!(finding.message.contains(KEY_ARN), "{}", finding.message);
    }
}
