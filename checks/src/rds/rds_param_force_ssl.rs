//! rds-param-force-ssl: the database refuses connections without TLS.

use super::{describe_parameter, grade_parameter, EngineFamily, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: rds.force_ssl = 1 (PostgreSQL) / require_secure_transport = ON (MySQL).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-param-force-ssl",
    title: "Database forces TLS on every connection",
    severity: Severity::High,
    hipaa: &["164.312(e)(2)(ii)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "The BAA requires PHI to be encrypted in transit. PostgreSQL engines must set \
        rds.force_ssl = 1, MySQL engines (Aurora MySQL, MySQL, MariaDB) require_secure_transport \
        = ON, in the (cluster) parameter group. When the group does not set the parameter, the \
        engine default for the group's family decides (DescribeEngineDefaultClusterParameters); \
        when that cannot be read the finding is `error`, never `pass`.",
    evidence: &[
        "rds:DescribeDBClusterParameters / DescribeDBParameters",
        "rds:DescribeEngineDefaultClusterParameters / DescribeEngineDefaultParameters",
    ],
    remediation: Remediation {
        summary: "Set rds.force_ssl=1 (PostgreSQL) or require_secure_transport=ON (MySQL) in a custom parameter group.",
        console: "RDS > Parameter groups > the cluster's custom group > Edit > rds.force_ssl = 1 \
            (MySQL: require_secure_transport = ON) > Save. First check the postgresql log for \
            non-SSL connections so no client breaks (seed 001).",
        cli: "aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name <group> \
              --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=pending-reboot\n\
              (MySQL: ParameterName=require_secure_transport,ParameterValue=ON,ApplyMethod=immediate)",
        cloudformation: "AWS::RDS::DBClusterParameterGroup: Parameters: { rds.force_ssl: 1 }",
    },
    seeds: &["seed 000", "seed 001", "seed 003"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_parameter(
        ctx,
        &META,
        "rds.force_ssl",
        "require_secure_transport",
        |target, parameter| {
            let value = parameter.value.as_deref().map(str::trim).unwrap_or("");
            let forced = match target.family() {
                EngineFamily::Postgres => value == "1",
                _ => value.eq_ignore_ascii_case("ON") || value == "1",
            };
            let subject = format!("{} {}", target.noun(), target.id);
            let detail = describe_parameter(parameter);
            if forced {
                Verdict::pass(
                    format!("{subject} forces TLS: {detail}"),
                    parameter.evidence(target),
                )
            } else {
                Verdict::fail(
                    format!("{subject} accepts plaintext connections: {detail}"),
                    parameter.evidence(target),
                )
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, Parameter, ParameterGroup, Source};

    #[test]
    fn pass_for_postgres_mysql_and_standalone() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(status_of(&findings, "pg-main"), Status::Pass);
        assert_eq!(status_of(&findings, "my-main"), Status::Pass);
        assert_eq!(status_of(&findings, "pg-solo"), Status::Pass);
        assert!(finding_for(&findings, "pg-main")
            .message
            .contains("parameter group pg-hardened"));
    }

    #[test]
    fn fail_when_set_off() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "pg-hardened".into(),
                family: Some("aurora-postgresql15".into()),
                parameters: vec![Parameter {
                    name: "rds.force_ssl".into(),
                    value: Some("0".into()),
                    source: None,
                }],
            }),
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Fail
        );
    }

    #[test]
    fn mysql_uses_require_secure_transport_not_force_ssl() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "mysql-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "mysql-hardened".into(),
                family: Some("aurora-mysql8.0".into()),
                // A PostgreSQL parameter on a MySQL cluster means nothing.
                parameters: vec![Parameter {
                    name: "rds.force_ssl".into(),
                    value: Some("1".into()),
                    source: None,
                }],
            }),
        );
        region.rds.cluster_engine_defaults.insert(
            "aurora-mysql8.0".into(),
            Source::Collected(vec![Parameter {
                name: "require_secure_transport".into(),
                value: Some("OFF".into()),
                source: Some("engine-default".into()),
            }]),
        );
        let finding = finding_for(&evaluate(&CHECK, region), "my-main").clone();
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["Parameter"], "require_secure_transport");
        assert_eq!(
            finding.evidence["DecidedBy"],
            "engine default (aurora-mysql8.0)"
        );
    }

    #[test]
    fn unset_falls_back_to_engine_default() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "pg-hardened".into(),
                family: Some("aurora-postgresql15".into()),
                parameters: vec![],
            }),
        );
        region.rds.cluster_engine_defaults.insert(
            "aurora-postgresql15".into(),
            Source::Collected(vec![Parameter {
                name: "rds.force_ssl".into(),
                value: Some("1".into()),
                source: Some("engine-default".into()),
            }]),
        );
        let finding = finding_for(&evaluate(&CHECK, region), "pg-main").clone();
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(
            finding.evidence["DecidedBy"],
            "engine default (aurora-postgresql15)"
        );
    }

    #[test]
    fn error_when_engine_default_unreadable_never_pass() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "pg-hardened".into(),
                family: Some("aurora-postgresql15".into()),
                parameters: vec![],
            }),
        );
        region.rds.cluster_engine_defaults.insert(
            "aurora-postgresql15".into(),
            Source::Failed(failure("DescribeEngineDefaultClusterParameters")),
        );
        let finding = finding_for(&evaluate(&CHECK, region), "pg-main").clone();
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("rds.force_ssl"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .message
                .contains("DescribeEngineDefaultClusterParameters"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn error_when_group_unreadable() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Failed(failure("DescribeDBClusterParameters")),
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Error
        );
    }

    #[test]
    fn not_applicable_for_other_engines() {
        let region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                engine: "sqlserver-ee".into(),
                ..pg_cluster("mssql")
            }],
        );
        let finding = finding_for(&evaluate(&CHECK, region), "mssql").clone();
        assert_eq!(finding.status, Status::NotApplicable);
        assert!(finding.message.contains("sqlserver-ee"));
    }
}
