//! rds-cluster-log-exports: engine logs are exported to CloudWatch Logs.

use serde_json::json;

use super::{grade_targets, EngineFamily, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: postgresql logs (PostgreSQL) or audit + error logs (MySQL) go to CloudWatch Logs.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-log-exports",
    title: "Database logs are exported to CloudWatch Logs",
    severity: Severity::Medium,
    hipaa: &["164.312(b)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Audit controls need a record of database activity outside the database: \
        PostgreSQL engines export the `postgresql` log (connections, errors; the plaintext-\
        connection alarm reads it), MySQL engines the `audit` and `error` logs. Other engines \
        must export at least one log type.",
    evidence: &["rds:DescribeDBClusters EnabledCloudwatchLogsExports"],
    remediation: Remediation {
        summary: "Enable log exports to CloudWatch Logs (postgresql, or audit and error for MySQL).",
        console: "RDS > Databases > select the cluster > Modify > Log exports: tick the log types > Apply immediately.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"postgresql\"]}' --apply-immediately\n\
              (MySQL: '{\"EnableLogTypes\":[\"audit\",\"error\"]}'; Aurora MySQL also needs server_audit_logging=1 in the cluster parameter group)",
        cloudformation: "AWS::RDS::DBCluster: EnableCloudwatchLogsExports: [postgresql]",
    },
    seeds: &["seed 000", "seed 001", "seed 003"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, _| {
        let required: &[&str] = match target.family() {
            EngineFamily::Postgres => &["postgresql"],
            EngineFamily::Mysql => &["audit", "error"],
            EngineFamily::Other => &[],
        };
        let exported = target.log_exports;
        let evidence = json!({ "Engine": target.engine, "EnabledCloudwatchLogsExports": exported, "Required": required });
        let subject = format!("{} {}", target.noun(), target.id);
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|log| !exported.iter().any(|e| e == log))
            .collect();
        if required.is_empty() && exported.is_empty() {
            Verdict::fail(
                format!("{subject} exports no logs to CloudWatch Logs"),
                evidence,
            )
        } else if missing.is_empty() {
            Verdict::pass(
                format!("{subject} exports {} logs", exported.join(", ")),
                evidence,
            )
        } else {
            Verdict::fail(
                format!(
                    "{subject} does not export {} logs to CloudWatch Logs",
                    missing.join(" and ")
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
    use crate::snapshot::{DbCluster, Source};

    #[test]
    fn each_family_needs_its_own_logs() {
        let region = with_clusters(
            compliant_region(),
            vec![
                pg_cluster("pg-ok"),
                mysql_cluster("my-ok"),
                DbCluster {
                    enabled_cloudwatch_logs_exports: vec!["error".into()],
                    ..mysql_cluster("my-no-audit")
                },
                DbCluster {
                    enabled_cloudwatch_logs_exports: vec![],
                    ..pg_cluster("pg-none")
                },
                // A MySQL log name on a PostgreSQL cluster does not count.
                DbCluster {
                    enabled_cloudwatch_logs_exports: vec!["audit".into()],
                    ..pg_cluster("pg-wrong")
                },
            ],
        );
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "pg-ok"), Status::Pass);
        assert_eq!(status_of(&findings, "my-ok"), Status::Pass);
        let no_audit = finding_for(&findings, "my-no-audit");
        assert_eq!(no_audit.status, Status::Fail);
        assert!(no_audit.message.contains("audit"), "{}", no_audit.message);
        assert_eq!(status_of(&findings, "pg-none"), Status::Fail);
        assert_eq!(status_of(&findings, "pg-wrong"), Status::Fail);
    }

    #[test]
    fn other_engines_need_some_export() {
        let region = with_clusters(
            compliant_region(),
            vec![
                DbCluster {
                    engine: "oracle-ee".into(),
                    enabled_cloudwatch_logs_exports: vec!["alert".into()],
                    ..pg_cluster("ora")
                },
                DbCluster {
                    engine: "oracle-ee".into(),
                    enabled_cloudwatch_logs_exports: vec![],
                    ..pg_cluster("ora-none")
                },
            ],
        );
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "ora"), Status::Pass);
        assert_eq!(status_of(&findings, "ora-none"), Status::Fail);
    }

    #[test]
    fn error_when_clusters_unreadable() {
        let mut region = compliant_region();
        region.rds.clusters = Source::Failed(failure("DescribeDBClusters"));
        assert_eq!(status_of(&evaluate(&CHECK, region), REGION), Status::Error);
    }
}
