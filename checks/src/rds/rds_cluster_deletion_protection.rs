//! rds-cluster-deletion-protection: the database cannot be deleted by accident.

use serde_json::json;

use super::{grade_targets, setting_verdict, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: DeletionProtection = true.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-deletion-protection",
    title: "Deletion protection is on",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(7)(ii)(A)"],
    baa: BaaRule::Backup,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Deleting a database also deletes its automated backups unless a final snapshot \
        is taken. Deletion protection makes deletion a deliberate two-step change (seed 001).",
    evidence: &["rds:DescribeDBClusters DeletionProtection", "rds:DescribeDBInstances DeletionProtection"],
    remediation: Remediation {
        summary: "Turn on deletion protection.",
        console: "RDS > Databases > select the cluster > Modify > Deletion protection: enable > Apply immediately.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --deletion-protection --apply-immediately",
        cloudformation: "AWS::RDS::DBCluster: DeletionProtection: true",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        setting_verdict(
            target,
            target.deletion_protection,
            "DeletionProtection",
            json!(target.deletion_protection),
            "has deletion protection on",
            "can be deleted without a guard; turn on deletion protection",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, Source};

    #[test]
    fn pass_and_fail() {
        let region = with_clusters(
            compliant_region(),
            vec![
                pg_cluster("guarded"),
                DbCluster {
                    deletion_protection: false,
                    ..pg_cluster("open")
                },
            ],
        );
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "guarded"), Status::Pass);
        assert_eq!(status_of(&findings, "open"), Status::Fail);
    }

    #[test]
    fn error_when_clusters_unreadable() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        assert_eq!(status_of(&evaluate(&CHECK, region), REGION), Status::Error);
    }
}
