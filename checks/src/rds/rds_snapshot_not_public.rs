//! rds-snapshot-not-public: no manual snapshot is shared with every AWS account.

use serde_json::json;

use super::{grade_manual_snapshots, CLUSTER_SNAPSHOT_TYPE, INSTANCE_SNAPSHOT_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: the snapshot's `restore` attribute does not contain `all`.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-snapshot-not-public",
    title: "Manual database snapshots are not public",
    severity: Severity::Critical,
    hipaa: &["164.312(a)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[CLUSTER_SNAPSHOT_TYPE, INSTANCE_SNAPSHOT_TYPE],
    requirement: "A snapshot whose restore attribute includes `all` can be restored by any AWS \
        account: a copy of the whole database, PHI included, is public.",
    evidence: &["rds:DescribeDBClusterSnapshotAttributes restore", "rds:DescribeDBSnapshotAttributes restore"],
    remediation: Remediation {
        summary: "Remove `all` from the snapshot's restore attribute.",
        console: "RDS > Snapshots > select > Actions > Share snapshot > DB snapshot visibility: Private > Save.",
        cli: "aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier <id> --attribute-name restore --values-to-remove all\n\
              (instance snapshot: aws rds modify-db-snapshot-attribute --db-snapshot-identifier <id> --attribute-name restore --values-to-remove all)",
        cloudformation: "(snapshots are not CloudFormation resources)",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_manual_snapshots(ctx, &META, |snapshot| match &snapshot.restore_shared_with {
        Source::Failed(failure) => Verdict::error(
            &format!("the sharing attributes of snapshot {}", snapshot.id),
            failure,
        ),
        Source::Collected(accounts) => {
            let evidence = json!({ "restore": accounts });
            if accounts.iter().any(|a| a == "all") {
                Verdict::fail(
                    format!(
                        "snapshot {} is public: any AWS account can restore it",
                        snapshot.id
                    ),
                    evidence,
                )
            } else {
                Verdict::pass(
                    format!(
                        "snapshot {} is not public (shared with {} account(s))",
                        snapshot.id,
                        accounts.len()
                    ),
                    evidence,
                )
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::DbSnapshot;

    fn snap(id: &str, shared: Source<Vec<String>>) -> DbSnapshot {
        DbSnapshot {
            id: id.into(),
            arn: String::new(),
            snapshot_type: "manual".into(),
            encrypted: true,
            source_id: "pg-main".into(),
            restore_shared_with: shared,
        }
    }

    #[test]
    fn pass_fail_and_error_per_snapshot() {
        let mut region = compliant_region();
        region.rds.cluster_snapshots = Source::Collected(vec![
            snap("private", Source::Collected(vec!["444455556666".into()])),
            snap("public", Source::Collected(vec!["all".into()])),
            snap(
                "unknown",
                Source::Failed(failure("DescribeDBClusterSnapshotAttributes")),
            ),
        ]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "private"), Status::Pass);
        let public = finding_for(&findings, "public");
        assert_eq!(public.status, Status::Fail);
        assert_eq!(public.severity, Severity::Critical);
        assert_eq!(status_of(&findings, "unknown"), Status::Error);
    }
}
