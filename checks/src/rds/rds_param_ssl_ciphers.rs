//! rds-param-ssl-ciphers: the database offers only allow-listed cipher suites.

use serde_json::json;

use super::{describe_parameter, grade_parameter, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: ssl_ciphers (PostgreSQL) / ssl_cipher (MySQL) lists only allowed suites.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-param-ssl-ciphers",
    title: "Database cipher suites are restricted to an allow-list",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(2)(ii)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Seed 001 removes legacy cipher suites once TLS 1.3 is enforced (e.g. only \
        TLS_AES_256_GCM_SHA384). Every suite named in ssl_ciphers (PostgreSQL) or ssl_cipher \
        (MySQL), separated by `:` or `,`, must be in config allowed_ssl_ciphers; exclusions \
        (`!x`, `-x`) are ignored. Unset means the engine's broad default list: fail.",
    evidence: &["rds:DescribeDBClusterParameters", "rds:DescribeEngineDefaultClusterParameters"],
    remediation: Remediation {
        summary: "Set ssl_ciphers (PostgreSQL) / ssl_cipher (MySQL) to the allowed suites only.",
        console: "Review which suites clients use (CloudWatch Logs Insights on the postgresql log, \
            seed 001) > RDS > Parameter groups > the custom group > Edit > ssl_ciphers = \
            TLS_AES_256_GCM_SHA384 > Save.",
        cli: "aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name <group> \
              --parameters ParameterName=ssl_ciphers,ParameterValue=TLS_AES_256_GCM_SHA384,ApplyMethod=immediate",
        cloudformation: "AWS::RDS::DBClusterParameterGroup: Parameters: { ssl_ciphers: TLS_AES_256_GCM_SHA384 }",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// The suites a cipher parameter enables (exclusions dropped).
fn enabled_suites(value: &str) -> Vec<&str> {
    value
        .split([':', ',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with('!') && !s.starts_with('-'))
        .collect()
}

fn run(ctx: &Context) -> Vec<Finding> {
    let allowed = &ctx.config.allowed_ssl_ciphers;
    grade_parameter(
        ctx,
        &META,
        "ssl_ciphers",
        "ssl_cipher",
        |target, parameter| {
            let subject = format!("{} {}", target.noun(), target.id);
            let detail = describe_parameter(parameter);
            let mut evidence = parameter.evidence(target);
            evidence["Allowed"] = json!(allowed);
            let Some(value) = parameter.value.as_deref() else {
                return Verdict::fail(
                    format!("{subject} offers the engine's default cipher list: {detail}"),
                    evidence,
                );
            };
            let suites = enabled_suites(value);
            let extra: Vec<&str> = suites
                .iter()
                .copied()
                .filter(|s| !allowed.iter().any(|a| a == s))
                .collect();
            if suites.is_empty() {
                Verdict::fail(
                    format!("{subject} names no cipher suite: {detail}"),
                    evidence,
                )
            } else if extra.is_empty() {
                Verdict::pass(
                    format!(
                        "{subject} offers only allowed suites: {}",
                        suites.join(", ")
                    ),
                    evidence,
                )
            } else {
                evidence["NotAllowed"] = json!(extra);
                Verdict::fail(
                    format!(
                        "{subject} also offers {}; restrict it to the allow-list",
                        extra.join(", ")
                    ),
                    evidence,
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

    fn with_ciphers(value: Option<&str>) -> crate::snapshot::RegionSnapshot {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "pg-hardened".into(),
            Source::Collected(ParameterGroup {
                name: "pg-hardened".into(),
                family: Some("aurora-postgresql15".into()),
                parameters: vec![Parameter {
                    name: "ssl_ciphers".into(),
                    value: value.map(String::from),
                    source: None,
                }],
            }),
        );
        region.rds.cluster_engine_defaults.insert(
            "aurora-postgresql15".into(),
            Source::Collected(vec![Parameter {
                name: "ssl_ciphers".into(),
                value: None,
                source: Some("engine-default".into()),
            }]),
        );
        region
    }

    #[test]
    fn pass_on_allow_listed_suites_in_either_separator() {
        assert_eq!(
            status_of(&evaluate(&CHECK, compliant_region()), "my-main"),
            Status::Pass
        );
        let region = with_ciphers(Some("TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:!aNULL"));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Pass
        );
    }

    #[test]
    fn fail_on_extra_suite_or_default_list() {
        let finding = finding_for(
            &evaluate(&CHECK, with_ciphers(Some("HIGH:TLS_AES_256_GCM_SHA384"))),
            "pg-main",
        )
        .clone();
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["NotAllowed"], json!(["HIGH"]));
        assert_eq!(
            status_of(&evaluate(&CHECK, with_ciphers(None)), "pg-main"),
            Status::Fail
        );
    }

    #[test]
    fn error_when_group_unreadable() {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            "mysql-hardened".into(),
            Source::Failed(failure("DescribeDBClusterParameters")),
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "my-main"),
            Status::Error
        );
    }

    #[test]
    fn not_applicable_for_db2() {
        let region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                engine: "db2-se".into(),
                ..pg_cluster("db2")
            }],
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "db2"),
            Status::NotApplicable
        );
    }
}
