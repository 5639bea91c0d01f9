//! rds-cluster-copy-tags-to-snapshot: snapshots inherit the database's tags (e.g. DataClass).

use serde_json::json;

use super::{grade_targets, setting_verdict, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: CopyTagsToSnapshot = true.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-copy-tags-to-snapshot",
    title: "Snapshots inherit the database's tags",
    severity: Severity::Low,
    hipaa: &["164.308(a)(7)(ii)(A)"],
    baa: BaaRule::Backup,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Backups of PHI must stay identifiable as PHI: with CopyTagsToSnapshot the \
        data-classification and owner tags follow every snapshot, so tag-based policies and \
        inventories cover the copies too.",
    evidence: &["rds:DescribeDBClusters CopyTagsToSnapshot", "rds:DescribeDBInstances CopyTagsToSnapshot"],
    remediation: Remediation {
        summary: "Turn on copy tags to snapshots.",
        console: "RDS > Databases > select the cluster > Modify > Backup > Copy tags to snapshots > Apply immediately.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --copy-tags-to-snapshot --apply-immediately",
        cloudformation: "AWS::RDS::DBCluster: CopyTagsToSnapshot: true",
    },
    seeds: &["seed 001"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        setting_verdict(
            target,
            target.copy_tags_to_snapshot,
            "CopyTagsToSnapshot",
            json!(target.copy_tags_to_snapshot),
            "copies its tags to snapshots",
            "does not copy its tags to snapshots; turn on CopyTagsToSnapshot",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbInstance, Source};

    #[test]
    fn pass_and_fail_on_standalone_instances() {
        let mut region = compliant_region();
        region.rds.instances = Source::Collected(vec![
            standalone_instance("tagged"),
            DbInstance {
                copy_tags_to_snapshot: false,
                ..standalone_instance("untagged")
            },
        ]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "tagged"), Status::Pass);
        let fail = finding_for(&findings, "untagged");
        assert_eq!(fail.status, Status::Fail);
        assert_eq!(fail.severity, Severity::Low);
    }

    #[test]
    fn error_when_clusters_unreadable() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        assert_eq!(status_of(&evaluate(&CHECK, region), REGION), Status::Error);
    }
}
