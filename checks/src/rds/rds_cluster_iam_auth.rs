//! rds-cluster-iam-auth: IAM database authentication is enabled.

use serde_json::json;

use super::{grade_targets, setting_verdict, EngineFamily, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: IAMDatabaseAuthenticationEnabled = true (MySQL and PostgreSQL families).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-iam-auth",
    title: "IAM database authentication is enabled",
    severity: Severity::Medium,
    hipaa: &["164.312(d)"],
    baa: BaaRule::AccessControl,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Person or entity authentication: IAM authentication ties database logins to \
        IAM identities with short-lived tokens instead of shared static passwords, so every \
        session is attributable. RDS offers it for the MySQL and PostgreSQL families only; other \
        engines are not applicable.",
    evidence: &["rds:DescribeDBClusters IAMDatabaseAuthenticationEnabled"],
    remediation: Remediation {
        summary: "Enable IAM database authentication and grant rds_iam to database users.",
        console: "RDS > Databases > select the cluster > Modify > Database authentication: Password and IAM database authentication > Apply immediately.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --enable-iam-database-authentication --apply-immediately",
        cloudformation: "AWS::RDS::DBCluster: EnableIAMDatabaseAuthentication: true",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        if target.family() == EngineFamily::Other {
            return Verdict::not_applicable(
                format!(
                    "engine {} does not support IAM database authentication",
                    target.engine
                ),
                json!({ "Engine": target.engine }),
            );
        }
        setting_verdict(
            target,
            target.iam_auth,
            "IAMDatabaseAuthenticationEnabled",
            json!(target.iam_auth),
            "has IAM database authentication enabled",
            "relies on static database passwords; enable IAM database authentication",
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
    fn pass_fail_and_not_applicable() {
        let region = with_clusters(
            compliant_region(),
            vec![
                pg_cluster("iam"),
                DbCluster {
                    iam_database_authentication_enabled: false,
                    ..mysql_cluster("pw")
                },
                DbCluster {
                    engine: "sqlserver-se".into(),
                    iam_database_authentication_enabled: false,
                    ..pg_cluster("mssql")
                },
            ],
        );
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "iam"), Status::Pass);
        assert_eq!(status_of(&findings, "pw"), Status::Fail);
        assert_eq!(status_of(&findings, "mssql"), Status::NotApplicable);
    }

    #[test]
    fn error_when_clusters_unreadable() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        assert_eq!(status_of(&evaluate(&CHECK, region), REGION), Status::Error);
    }
}
