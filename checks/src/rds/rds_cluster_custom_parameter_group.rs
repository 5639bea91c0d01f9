//! rds-cluster-custom-parameter-group: the database uses its own (cluster) parameter group.

use serde_json::json;

use super::{grade_targets, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: the parameter group in use is not an AWS `default.*` group.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-custom-parameter-group",
    title: "Database uses a custom parameter group",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "AWS default parameter groups (named default.<family>) cannot be modified, so \
        a database on one cannot force TLS, raise the minimum TLS version or restrict ciphers. \
        Clusters are graded on their DB cluster parameter group, standalone instances on their \
        DB parameter group.",
    evidence: &["rds:DescribeDBClusters DBClusterParameterGroup", "rds:DescribeDBInstances DBParameterGroups"],
    remediation: Remediation {
        summary: "Create a custom (cluster) parameter group for the engine family and attach it.",
        console: "RDS > Parameter groups > Create parameter group (type: DB cluster parameter group, \
            family of the cluster) > RDS > Databases > Modify > DB cluster parameter group > Apply; \
            reboot the writer if parameters are pending-reboot.",
        cli: "aws rds create-db-cluster-parameter-group --db-cluster-parameter-group-name <id>-params \
              --db-parameter-group-family <family> --description 'HIPAA hardened'\n\
              aws rds modify-db-cluster --db-cluster-identifier <id> --db-cluster-parameter-group-name <id>-params --apply-immediately",
        cloudformation: "AWS::RDS::DBClusterParameterGroup + AWS::RDS::DBCluster: DBClusterParameterGroupName: !Ref Params",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        let subject = format!("{} {}", target.noun(), target.id);
        let Some(group) = target.parameter_group else {
            return Verdict::missing(
                format!("{subject} reports no parameter group"),
                json!({ "ParameterGroup": null }),
            );
        };
        let evidence = json!({ "ParameterGroup": group });
        if group.starts_with("default.") {
            Verdict::fail(
                format!("{subject} uses the AWS default group {group}, which cannot enforce TLS; attach a custom group"),
                evidence,
            )
        } else {
            Verdict::pass(format!("{subject} uses custom group {group}"), evidence)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, DbInstance, Source};

    #[test]
    fn pass_on_custom_fail_on_default_group() {
        let mut region = with_clusters(
            compliant_region(),
            vec![
                pg_cluster("custom"),
                DbCluster {
                    parameter_group: Some("default.aurora-postgresql15".into()),
                    ..pg_cluster("stock")
                },
            ],
        );
        region.rds.instances = Source::Collected(vec![DbInstance {
            parameter_groups: vec!["default.postgres16".into()],
            ..standalone_instance("solo-stock")
        }]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "custom"), Status::Pass);
        assert_eq!(status_of(&findings, "stock"), Status::Fail);
        assert_eq!(status_of(&findings, "solo-stock"), Status::Fail);
    }

    #[test]
    fn error_without_group_or_listing() {
        let mut region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                parameter_group: None,
                ..pg_cluster("none")
            }],
        );
        region.rds.instances = Source::Failed(failure("DescribeDBInstances"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "none"), Status::Error);
        assert_eq!(status_of(&findings, REGION), Status::Error);
    }
}
