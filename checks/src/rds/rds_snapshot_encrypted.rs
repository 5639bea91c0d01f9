//! rds-snapshot-encrypted: every manual cluster and instance snapshot is encrypted.

use serde_json::json;

use super::{grade_manual_snapshots, CLUSTER_SNAPSHOT_TYPE, INSTANCE_SNAPSHOT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: manual snapshots are encrypted.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-snapshot-encrypted",
    title: "Manual database snapshots are encrypted",
    severity: Severity::High,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &[CLUSTER_SNAPSHOT_TYPE, INSTANCE_SNAPSHOT_TYPE],
    requirement: "A snapshot is a full copy of the database's PHI and must be encrypted at rest \
        like the database. Snapshots of an unencrypted database are unencrypted; copy them with \
        a KMS key and delete the plaintext copy.",
    evidence: &["rds:DescribeDBClusterSnapshots StorageEncrypted", "rds:DescribeDBSnapshots Encrypted"],
    remediation: Remediation {
        summary: "Copy the snapshot with a KMS key, then delete the unencrypted snapshot.",
        console: "RDS > Snapshots > select > Actions > Copy snapshot > Enable encryption > then delete the original.",
        cli: "aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <id> --target-db-cluster-snapshot-identifier <id>-enc --kms-key-id <key-arn>\n\
              aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier <id>",
        cloudformation: "(snapshots are not CloudFormation resources; encrypt the source database)",
    },
    seeds: &["seed 001", "seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_manual_snapshots(ctx, &META, |snapshot| {
        let evidence = json!({ "Encrypted": snapshot.encrypted, "Source": snapshot.source_id });
        if snapshot.encrypted {
            Verdict::pass(format!("snapshot {} is encrypted", snapshot.id), evidence)
        } else {
            Verdict::fail(
                format!(
                    "snapshot {} of {} is unencrypted; copy it with a KMS key and delete it",
                    snapshot.id, snapshot.source_id
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
    use crate::snapshot::{DbSnapshot, Source};

    pub(crate) fn snap(id: &str, kind: &str, encrypted: bool) -> DbSnapshot {
        DbSnapshot {
            id: id.into(),
            arn: format!("arn:aws:rds:us-east-1:111122223333:cluster-snapshot:{id}"),
            snapshot_type: kind.into(),
            encrypted,
            source_id: "pg-main".into(),
            restore_shared_with: Source::Collected(vec![]),
        }
    }

    #[test]
    fn pass_fail_and_automated_ignored() {
        let mut region = compliant_region();
        region.rds.cluster_snapshots = Source::Collected(vec![
            snap("enc", "manual", true),
            snap("plain", "manual", false),
            snap("auto", "automated", false),
        ]);
        region.rds.instance_snapshots =
            Source::Collected(vec![snap("inst-plain", "manual", false)]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "enc"), Status::Pass);
        assert_eq!(status_of(&findings, "plain"), Status::Fail);
        assert_eq!(
            finding_for(&findings, "inst-plain").resource_type,
            INSTANCE_SNAPSHOT_TYPE
        );
        assert!(findings.iter().all(|f| f.resource_id != "auto"));
    }

    #[test]
    fn error_when_listing_failed() {
        let mut region = compliant_region();
        region.rds.instance_snapshots = Source::Failed(failure("DescribeDBSnapshots"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, REGION), Status::Error);
    }
}
