//! rds-param-min-tls: the database accepts no TLS version below the configured minimum.

use serde_json::json;

use super::{describe_parameter, grade_parameter, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::config::TlsVersion;
use crate::finding::{BaaRule, Finding, Severity};

/// The check: ssl_min_protocol_version (PostgreSQL) / lowest of tls_version (MySQL) >= min_tls.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-param-min-tls",
    title: "Database accepts only TLS 1.2 or newer",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(2)(ii)"],
    baa: BaaRule::EncryptInTransit,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Encryption in transit must use protocols without known weaknesses: TLS 1.0 and \
        1.1 are deprecated (RFC 8996). PostgreSQL engines are graded on ssl_min_protocol_version, \
        MySQL engines on the lowest version listed in tls_version, against config min_tls \
        (default TLSv1.2; seed 001 hardens to TLSv1.3). An unset parameter whose engine default \
        has no value fails: the engine then negotiates whatever the client offers.",
    evidence: &["rds:DescribeDBClusterParameters", "rds:DescribeEngineDefaultClusterParameters"],
    remediation: Remediation {
        summary: "Set ssl_min_protocol_version (PostgreSQL) or tls_version (MySQL) to TLSv1.2 or newer.",
        console: "RDS > Parameter groups > the custom group > Edit > ssl_min_protocol_version = TLSv1.3 \
            (MySQL: tls_version = TLSv1.2,TLSv1.3) > Save > reboot if pending-reboot.",
        cli: "aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name <group> \
              --parameters ParameterName=ssl_min_protocol_version,ParameterValue=TLSv1.3,ApplyMethod=immediate\n\
              (MySQL: ParameterName=tls_version,ParameterValue='TLSv1.2,TLSv1.3',ApplyMethod=pending-reboot)",
        cloudformation: "AWS::RDS::DBClusterParameterGroup: Parameters: { ssl_min_protocol_version: TLSv1.3 }",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

/// The lowest version a parameter value allows (`TLSv1.2,TLSv1.3` -> TLSv1.2); `Err` names an
/// entry that is not a TLS version.
fn lowest_version(value: &str) -> Result<TlsVersion, String> {
    let mut lowest: Option<TlsVersion> = None;
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let version = TlsVersion::parse(entry).ok_or_else(|| entry.to_owned())?;
        lowest = Some(lowest.map_or(version, |l| l.min(version)));
    }
    lowest.ok_or_else(|| value.to_owned())
}

fn run(ctx: &Context) -> Vec<Finding> {
    let minimum = ctx.config.min_tls;
    grade_parameter(
        ctx,
        &META,
        "ssl_min_protocol_version",
        "tls_version",
        |target, parameter| {
            let subject = format!("{} {}", target.noun(), target.id);
            let detail = describe_parameter(parameter);
            let mut evidence = parameter.evidence(target);
            evidence["Minimum"] = json!(minimum.as_str());
            let Some(value) = parameter.value.as_deref() else {
                return Verdict::fail(
                    format!(
                        "{subject} does not restrict TLS versions: {detail}; set it to {} or newer",
                        minimum.as_str()
                    ),
                    evidence,
                );
            };
            match lowest_version(value) {
            Ok(lowest) if lowest >= minimum => Verdict::pass(format!("{subject} requires {}: {detail}", lowest.as_str()), evidence),
            Ok(lowest) => Verdict::fail(
                format!("{subject} still accepts {}: {detail}; raise it to {}", lowest.as_str(), minimum.as_str()),
                evidence,
            ),
            Err(entry) => Verdict::manual(
                format!("{subject}: {detail} holds `{entry}`, which is not a TLS version this tool knows; check it by hand"),
                evidence,
            ),
        }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, Parameter, ParameterGroup, Source};

    fn region_with(
        group: &str,
        family: &str,
        params: &[(&str, &str)],
    ) -> crate::snapshot::RegionSnapshot {
        let mut region = compliant_region();
        region.rds.cluster_parameter_groups.insert(
            group.into(),
            Source::Collected(ParameterGroup {
                name: group.into(),
                family: Some(family.into()),
                parameters: params
                    .iter()
                    .map(|(n, v)| Parameter {
                        name: (*n).into(),
                        value: Some((*v).into()),
                        source: None,
                    })
                    .collect(),
            }),
        );
        region
    }

    #[test]
    fn pass_on_hardened_groups() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(status_of(&findings, "pg-main"), Status::Pass);
        assert_eq!(status_of(&findings, "my-main"), Status::Pass);
    }

    #[test]
    fn mysql_list_is_judged_by_its_lowest_version() {
        let region = region_with(
            "mysql-hardened",
            "aurora-mysql8.0",
            &[("tls_version", "TLSv1.1,TLSv1.2")],
        );
        let finding = finding_for(&evaluate(&CHECK, region), "my-main").clone();
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("TLSv1.1"), "{}", finding.message);
    }

    #[test]
    fn postgres_below_minimum_fails_and_minimum_is_configurable() {
        let region = region_with(
            "pg-hardened",
            "aurora-postgresql15",
            &[("ssl_min_protocol_version", "TLSv1.2")],
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region.clone()), "pg-main"),
            Status::Pass
        );
        let strict = Config {
            min_tls: TlsVersion::Tls1_3,
            ..Config::default()
        };
        assert_eq!(
            status_of(&evaluate_with(&CHECK, region, &strict), "pg-main"),
            Status::Fail
        );
    }

    #[test]
    fn unset_everywhere_fails() {
        let mut region = region_with("pg-hardened", "aurora-postgresql15", &[]);
        region
            .rds
            .cluster_engine_defaults
            .insert("aurora-postgresql15".into(), Source::Collected(vec![]));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Fail
        );
    }

    #[test]
    fn unknown_value_is_manual() {
        let region = region_with(
            "pg-hardened",
            "aurora-postgresql15",
            &[("ssl_min_protocol_version", "TLSv9")],
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Manual
        );
    }

    #[test]
    fn error_when_default_unreadable() {
        let mut region = region_with("pg-hardened", "aurora-postgresql15", &[]);
        region.rds.cluster_engine_defaults.insert(
            "aurora-postgresql15".into(),
            Source::Failed(failure("DescribeEngineDefaultClusterParameters")),
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Error
        );
    }

    #[test]
    fn not_applicable_for_oracle() {
        let region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                engine: "oracle-se2".into(),
                ..pg_cluster("ora")
            }],
        );
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "ora"),
            Status::NotApplicable
        );
    }

    #[test]
    fn lowest_version_parses_lists() {
        assert_eq!(lowest_version("TLSv1.3"), Ok(TlsVersion::Tls1_3));
        assert_eq!(lowest_version("TLSv1.3, TLSv1.2"), Ok(TlsVersion::Tls1_2));
        assert!(lowest_version("").is_err());
    }
}
