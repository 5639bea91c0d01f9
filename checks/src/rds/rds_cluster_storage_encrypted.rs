//! rds-cluster-storage-encrypted: the database's storage is encrypted at rest.

use serde_json::json;

use super::{grade_targets, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: StorageEncrypted = true on every cluster and standalone instance.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-storage-encrypted",
    title: "DB cluster storage is encrypted at rest",
    severity: Severity::Critical,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "The BAA requires PHI to be encrypted at rest. An encrypted cluster also \
        encrypts its instances, logs, automated backups and snapshots. Encryption can only be \
        chosen at creation: an unencrypted database must be migrated.",
    evidence: &["rds:DescribeDBClusters StorageEncrypted", "rds:DescribeDBInstances StorageEncrypted"],
    remediation: Remediation {
        summary: "Snapshot the database, copy the snapshot with a KMS key, restore it encrypted and switch clients over.",
        console: "RDS > Snapshots > take a snapshot > Actions > Copy snapshot > Enable encryption \
            (choose a customer-managed key) > Restore the encrypted copy > repoint clients.",
        cli: "aws rds create-db-cluster-snapshot --db-cluster-identifier <id> --db-cluster-snapshot-identifier <id>-pre-enc\n\
              aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <id>-pre-enc \
              --target-db-cluster-snapshot-identifier <id>-enc --kms-key-id <key-arn>\n\
              aws rds restore-db-cluster-from-snapshot --db-cluster-identifier <id>-encrypted \
              --snapshot-identifier <id>-enc --engine <engine>",
        cloudformation: "AWS::RDS::DBCluster: StorageEncrypted: true, KmsKeyId: <key-arn>",
    },
    seeds: &["seed 000", "seed 001", "seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        let evidence = json!({
            "StorageEncrypted": target.storage_encrypted,
            "KmsKeyId": target.kms_key_id,
        });
        if target.storage_encrypted {
            Verdict::pass(
                format!("{} {} storage is encrypted", target.noun(), target.id),
                evidence,
            )
        } else {
            Verdict::fail(
                format!(
                    "{} {} stores data unencrypted; restore it from an encrypted snapshot copy",
                    target.noun(),
                    target.id
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
    use crate::rds::fixtures::*;
    use crate::snapshot::Source;

    #[test]
    fn pass_when_encrypted() {
        let findings = evaluate_with(&CHECK, compliant_region(), &Default::default());
        assert_eq!(status_of(&findings, "pg-main"), Status::Pass);
        assert_eq!(status_of(&findings, "pg-solo"), Status::Pass);
        // Cluster members are graded through their cluster, not on their own.
        assert!(findings.iter().all(|f| f.resource_id != "pg-main-1"));
    }

    #[test]
    fn fail_when_cluster_or_standalone_instance_unencrypted() {
        let mut region = with_clusters(
            compliant_region(),
            vec![crate::snapshot::DbCluster {
                storage_encrypted: false,
                ..pg_cluster("plain")
            }],
        );
        region.rds.instances = Source::Collected(vec![crate::snapshot::DbInstance {
            storage_encrypted: false,
            ..standalone_instance("solo-plain")
        }]);
        let findings = evaluate(&CHECK, region);
        let cluster = finding_for(&findings, "plain");
        assert_eq!(cluster.status, Status::Fail);
        assert_eq!(cluster.severity, Severity::Critical);
        assert_eq!(cluster.resource_type, CLUSTER_TYPE);
        let instance = finding_for(&findings, "solo-plain");
        assert_eq!(instance.status, Status::Fail);
        assert_eq!(instance.resource_type, INSTANCE_TYPE);
    }

    #[test]
    fn error_when_cluster_list_failed_and_instances_still_graded() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        let findings = evaluate(&CHECK, region);
        let error = finding_for(&findings, REGION);
        assert_eq!(error.status, Status::Error);
        assert!(
            error.message.contains("DescribeDBClusters"),
            "{}",
            error.message
        );
        assert_eq!(status_of(&findings, "pg-solo"), Status::Pass);
        assert!(findings
            .iter()
            .all(|f| f.status != Status::Pass || f.resource_id == "pg-solo"));
    }

    #[test]
    fn no_databases_gives_no_findings() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Collected(vec![]);
        region.rds.instances = Source::Collected(vec![]);
        assert!(evaluate(&CHECK, region).is_empty());
    }
}
