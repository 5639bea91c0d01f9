//! rds-cluster-backup-retention: automated backups are kept long enough (cfg, default 35 days).

use serde_json::json;

use super::{grade_targets, setting_verdict, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: BackupRetentionPeriod >= min_backup_retention_days.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-backup-retention",
    title: "Automated backups are retained for at least 35 days",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(7)(ii)(A)"],
    baa: BaaRule::Backup,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "The contingency plan's data backup plan needs retrievable exact copies of ePHI. \
        Seed 001 sets the maximum automated retention, 35 days (config: \
        min_backup_retention_days). A retention of 0 disables automated backups entirely.",
    evidence: &["rds:DescribeDBClusters BackupRetentionPeriod", "rds:DescribeDBInstances BackupRetentionPeriod"],
    remediation: Remediation {
        summary: "Set the backup retention period to 35 days (or the configured minimum).",
        console: "RDS > Databases > select the cluster > Modify > Backup > Backup retention period: 35 days > Apply immediately.",
        cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --backup-retention-period 35 --apply-immediately\n\
              (standalone instance: aws rds modify-db-instance --db-instance-identifier <id> --backup-retention-period 35 --apply-immediately)",
        cloudformation: "AWS::RDS::DBCluster: BackupRetentionPeriod: 35",
    },
    seeds: &["seed 000", "seed 001"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let minimum = ctx.config.min_backup_retention_days;
    grade_targets(ctx, &META, |target, _| {
        let days = target.backup_retention_period;
        let mut verdict = setting_verdict(
            target,
            days >= minimum,
            "BackupRetentionPeriod",
            json!(days),
            &format!("keeps backups for {days} day(s) (minimum {minimum})"),
            &format!("keeps backups for only {days} day(s); raise it to at least {minimum}"),
        );
        verdict.evidence["Minimum"] = json!(minimum);
        verdict
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, Source};

    #[test]
    fn pass_at_35_days() {
        assert_eq!(
            status_of(&evaluate(&CHECK, compliant_region()), "pg-main"),
            Status::Pass
        );
    }

    #[test]
    fn fail_below_minimum_and_threshold_from_config() {
        let region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                backup_retention_period: 7,
                ..pg_cluster("short")
            }],
        );
        let finding = finding_for(&evaluate(&CHECK, region.clone()), "short").clone();
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["BackupRetentionPeriod"], 7);
        let lenient = Config {
            min_backup_retention_days: 7,
            ..Config::default()
        };
        assert_eq!(
            status_of(&evaluate_with(&CHECK, region, &lenient), "short"),
            Status::Pass
        );
    }

    #[test]
    fn error_when_instances_unreadable() {
        let mut region = compliant_region();
        region.rds.instances = Source::Failed(failure("DescribeDBInstances"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, REGION), Status::Error);
        assert_eq!(status_of(&findings, "pg-main"), Status::Pass);
    }
}
