//! Hand-built snapshots for the RDS checks' unit tests: a compliant baseline to mutate.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::catalog::{Check, Context};
use crate::config::Config;
use crate::finding::{Finding, Status};
use crate::snapshot::*;

pub const REGION: &str = "us-east-1";
pub const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/cmk-1";

/// A failed call.
pub fn failure(operation: &str) -> Failure {
    Failure::new("rds", operation, REGION, "AccessDenied", "not authorized")
}

/// A compliant Aurora PostgreSQL cluster using group `pg-hardened`.
pub fn pg_cluster(id: &str) -> DbCluster {
    DbCluster {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:111122223333:cluster:{id}"),
        engine: "aurora-postgresql".into(),
        engine_version: "15.4".into(),
        storage_encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        backup_retention_period: 35,
        deletion_protection: true,
        copy_tags_to_snapshot: true,
        enabled_cloudwatch_logs_exports: vec!["postgresql".into()],
        iam_database_authentication_enabled: true,
        parameter_group: Some("pg-hardened".into()),
        vpc_security_group_ids: vec!["sg-app-db".into()],
        port: Some(5432),
        members: vec![format!("{id}-1")],
        db_subnet_group: Some("private".into()),
    }
}

/// A compliant Aurora MySQL cluster using group `mysql-hardened`.
pub fn mysql_cluster(id: &str) -> DbCluster {
    DbCluster {
        engine: "aurora-mysql".into(),
        engine_version: "8.0.mysql_aurora.3.05.2".into(),
        enabled_cloudwatch_logs_exports: vec!["audit".into(), "error".into()],
        parameter_group: Some("mysql-hardened".into()),
        port: Some(3306),
        ..pg_cluster(id)
    }
}

/// A compliant standalone PostgreSQL instance using DB parameter group `pg-instance`.
pub fn standalone_instance(id: &str) -> DbInstance {
    DbInstance {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:111122223333:db:{id}"),
        engine: "postgres".into(),
        engine_version: "16.3".into(),
        cluster_id: None,
        storage_encrypted: true,
        kms_key_id: Some(KEY_ARN.into()),
        backup_retention_period: 35,
        deletion_protection: true,
        copy_tags_to_snapshot: true,
        enabled_cloudwatch_logs_exports: vec!["postgresql".into()],
        iam_database_authentication_enabled: true,
        parameter_groups: vec!["pg-instance".into()],
        vpc_security_group_ids: vec!["sg-app-db".into()],
        port: Some(5432),
        publicly_accessible: false,
        ca_certificate_identifier: Some("rds-ca-rsa2048-g1".into()),
        server_certificate_valid_till: None,
        db_subnet_group: Some("private".into()),
    }
}

/// A cluster member instance.
pub fn member_instance(id: &str, cluster: &str) -> DbInstance {
    DbInstance {
        cluster_id: Some(cluster.into()),
        engine: "aurora-postgresql".into(),
        parameter_groups: vec!["default.aurora-postgresql15".into()],
        ..standalone_instance(id)
    }
}

fn group(name: &str, family: &str, params: &[(&str, &str)]) -> Source<ParameterGroup> {
    Source::Collected(ParameterGroup {
        name: name.into(),
        family: Some(family.into()),
        parameters: params
            .iter()
            .map(|(n, v)| Parameter {
                name: (*n).into(),
                value: Some((*v).into()),
                source: Some("user".into()),
            })
            .collect(),
    })
}

/// A region holding one compliant cluster of each family, one standalone instance, the hardened
/// parameter groups, an app-only security group and a customer-managed key.
pub fn compliant_region() -> RegionSnapshot {
    let mut region = RegionSnapshot::default();
    region.rds.clusters = Source::Collected(vec![pg_cluster("pg-main"), mysql_cluster("my-main")]);
    region.rds.instances = Source::Collected(vec![
        member_instance("pg-main-1", "pg-main"),
        standalone_instance("pg-solo"),
    ]);
    region.rds.cluster_parameter_groups.insert(
        "pg-hardened".into(),
        group(
            "pg-hardened",
            "aurora-postgresql15",
            &[
                ("rds.force_ssl", "1"),
                ("ssl_min_protocol_version", "TLSv1.3"),
                ("ssl_ciphers", "TLS_AES_256_GCM_SHA384"),
            ],
        ),
    );
    region.rds.cluster_parameter_groups.insert(
        "mysql-hardened".into(),
        group(
            "mysql-hardened",
            "aurora-mysql8.0",
            &[
                ("require_secure_transport", "ON"),
                ("tls_version", "TLSv1.2,TLSv1.3"),
                (
                    "ssl_cipher",
                    "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256",
                ),
            ],
        ),
    );
    region.rds.instance_parameter_groups.insert(
        "pg-instance".into(),
        group(
            "pg-instance",
            "postgres16",
            &[
                ("rds.force_ssl", "1"),
                ("ssl_min_protocol_version", "TLSv1.2"),
                ("ssl_ciphers", "TLS_AES_128_GCM_SHA256"),
            ],
        ),
    );
    region.rds.cluster_snapshots = Source::Collected(vec![]);
    region.rds.instance_snapshots = Source::Collected(vec![]);
    region.rds.certificates = Source::Collected(vec![]);
    region.ec2.security_groups = Source::Collected(vec![SecurityGroup {
        id: "sg-app-db".into(),
        name: "app-db".into(),
        vpc_id: Some("vpc-1".into()),
        ingress: vec![IpPermission {
            protocol: "tcp".into(),
            from_port: Some(5432),
            to_port: Some(5432),
            source_group_ids: vec!["sg-app".into()],
            ..IpPermission::default()
        }],
        egress: vec![],
    }]);
    region.kms.aliases = Source::Collected(vec![KmsAlias {
        name: "alias/aws/rds".into(),
        target_key_id: Some("aws-rds-key".into()),
    }]);
    region.kms.keys.insert(
        KEY_ARN.into(),
        Source::Collected(KmsKey {
            key_id: "cmk-1".into(),
            arn: KEY_ARN.into(),
            key_manager: "CUSTOMER".into(),
            key_state: "Enabled".into(),
        }),
    );
    region
}

/// Wraps one region into a snapshot.
pub fn snapshot_of(region: RegionSnapshot) -> Snapshot {
    let at: Timestamp = "2026-11-25T12:00:00Z".parse().expect("valid timestamp");
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        tool_version: "test".into(),
        account_id: "111122223333".into(),
        partition: "aws".into(),
        started_at: at,
        finished_at: at,
        api_calls: 0,
        regions: BTreeMap::from([(REGION.to_owned(), region)]),
        global: GlobalSnapshot::default(),
    }
}

/// Runs one check over a region with the default config at 2026-11-25.
pub fn evaluate(check: &Check, region: RegionSnapshot) -> Vec<Finding> {
    evaluate_with(check, region, &Config::default())
}

/// Runs one check with a given config.
pub fn evaluate_with(check: &Check, region: RegionSnapshot, config: &Config) -> Vec<Finding> {
    let snapshot = snapshot_of(region);
    let ctx = Context {
        eligible: crate::eligible::EligibleServices::embedded(),
        snapshot: &snapshot,
        config,
        now: "2026-11-25T12:00:00Z".parse().expect("valid timestamp"),
    };
    (check.run)(&ctx)
}

/// The status of the finding for `resource_id`; panics (failing the test) when absent.
pub fn status_of(findings: &[Finding], resource_id: &str) -> Status {
    finding_for(findings, resource_id).status
}

/// The finding for `resource_id`; panics (failing the test) when absent.
pub fn finding_for<'f>(findings: &'f [Finding], resource_id: &str) -> &'f Finding {
    findings
        .iter()
        .find(|f| f.resource_id == resource_id)
        .unwrap_or_else(|| panic!("no finding for {resource_id}: {findings:#?}"))
}

/// Replaces the clusters of a region.
pub fn with_clusters(mut region: RegionSnapshot, clusters: Vec<DbCluster>) -> RegionSnapshot {
    region.rds.clusters = Source::Collected(clusters);
    region
}
