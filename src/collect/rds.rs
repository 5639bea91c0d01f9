//! RDS collector: clusters, instances, parameter groups (+ engine defaults), manual snapshots
//! with their sharing attributes, and CA certificates.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_rds::types as sdk;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    CaCertificate, DbCluster, DbInstance, DbSnapshot, DbSubnetGroup, Parameter, ParameterGroup,
    RdsSnapshot,
};
use hipaa_checks::Source;
use jiff::Timestamp;

use super::{all_items, listing, source, RegionClients};

const SERVICE: &str = "rds";

fn timestamp(value: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    value.and_then(|t| Timestamp::from_second(t.secs()).ok())
}

fn cluster_from(c: &sdk::DbCluster) -> DbCluster {
    DbCluster {
        id: c.db_cluster_identifier().unwrap_or_default().to_owned(),
        arn: c.db_cluster_arn().unwrap_or_default().to_owned(),
        engine: c.engine().unwrap_or_default().to_owned(),
        engine_version: c.engine_version().unwrap_or_default().to_owned(),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        kms_key_id: c.kms_key_id().map(str::to_owned),
        backup_retention_period: c.backup_retention_period().unwrap_or(0),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        copy_tags_to_snapshot: c.copy_tags_to_snapshot().unwrap_or(false),
        enabled_cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
        iam_database_authentication_enabled: c
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        parameter_group: c.db_cluster_parameter_group().map(str::to_owned),
        vpc_security_group_ids: c
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_owned))
            .collect(),
        port: c.port(),
        members: c
            .db_cluster_members()
            .iter()
            .filter_map(|m| m.db_instance_identifier().map(str::to_owned))
            .collect(),
        db_subnet_group: c.db_subnet_group().map(str::to_owned),
    }
}

fn instance_from(i: &sdk::DbInstance) -> DbInstance {
    DbInstance {
        id: i.db_instance_identifier().unwrap_or_default().to_owned(),
        arn: i.db_instance_arn().unwrap_or_default().to_owned(),
        engine: i.engine().unwrap_or_default().to_owned(),
        engine_version: i.engine_version().unwrap_or_default().to_owned(),
        cluster_id: i.db_cluster_identifier().map(str::to_owned),
        storage_encrypted: i.storage_encrypted().unwrap_or(false),
        kms_key_id: i.kms_key_id().map(str::to_owned),
        backup_retention_period: i.backup_retention_period().unwrap_or(0),
        deletion_protection: i.deletion_protection().unwrap_or(false),
        copy_tags_to_snapshot: i.copy_tags_to_snapshot().unwrap_or(false),
        enabled_cloudwatch_logs_exports: i.enabled_cloudwatch_logs_exports().to_vec(),
        iam_database_authentication_enabled: i
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        parameter_groups: i
            .db_parameter_groups()
            .iter()
            .filter_map(|g| g.db_parameter_group_name().map(str::to_owned))
            .collect(),
        vpc_security_group_ids: i
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_owned))
            .collect(),
        port: i
            .endpoint()
            .and_then(|e| e.port())
            .or(i.db_instance_port())
            .filter(|p| *p > 0),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        ca_certificate_identifier: i.ca_certificate_identifier().map(str::to_owned),
        server_certificate_valid_till: timestamp(
            i.certificate_details().and_then(|d| d.valid_till()),
        ),
        db_subnet_group: i
            .db_subnet_group()
            .and_then(|g| g.db_subnet_group_name())
            .map(str::to_owned),
    }
}

fn parameter_from(p: &sdk::Parameter) -> Parameter {
    Parameter {
        name: p.parameter_name().unwrap_or_default().to_owned(),
        value: p.parameter_value().map(str::to_owned),
        source: p.source().map(str::to_owned),
    }
}

/// Everything the RDS checks read in one region.
pub async fn collect(c: &RegionClients) -> RdsSnapshot {
    let region = c.region.as_str();
    let (clusters, instances, cluster_snapshots, instance_snapshots, certificates, subnet_groups) = tokio::join!(
        all_items!(
            c.limiter,
            c.rds.describe_db_clusters(),
            SERVICE,
            "DescribeDBClusters",
            region,
            cluster_from,
            |c| &c.id
        ),
        all_items!(
            c.limiter,
            c.rds.describe_db_instances(),
            SERVICE,
            "DescribeDBInstances",
            region,
            instance_from,
            |i| &i.id
        ),
        collect_cluster_snapshots(c),
        collect_instance_snapshots(c),
        c.limiter.run(async {
            let r = c
                .rds
                .describe_certificates()
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
            let certificate_from = |cert: &sdk::Certificate| CaCertificate {
                id: cert.certificate_identifier().unwrap_or_default().to_owned(),
                valid_till: timestamp(cert.valid_till()),
            };
            listing(
                r,
                SERVICE,
                "DescribeCertificates",
                region,
                certificate_from,
                |c| &c.id,
            )
        }),
        c.limiter.run(async {
            let r = c
                .rds
                .describe_db_subnet_groups()
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
            let subnet_group_from = |g: &sdk::DbSubnetGroup| DbSubnetGroup {
                name: g.db_subnet_group_name().unwrap_or_default().to_owned(),
                vpc_id: g.vpc_id().map(str::to_owned),
                subnet_ids: g
                    .subnets()
                    .iter()
                    .filter_map(|s| s.subnet_identifier().map(str::to_owned))
                    .collect(),
            };
            listing(
                r,
                SERVICE,
                "DescribeDBSubnetGroups",
                region,
                subnet_group_from,
                |g| &g.name,
            )
        }),
    );

    // Parameter groups in use: clusters' cluster groups, standalone instances' DB groups.
    let cluster_groups: BTreeSet<String> = match &clusters {
        Source::Collected(list) => list
            .iter()
            .filter_map(|c| c.parameter_group.clone())
            .collect(),
        Source::Failed(_) => BTreeSet::new(),
    };
    let instance_groups: BTreeSet<String> = match &instances {
        Source::Collected(list) => list
            .iter()
            .filter(|i| i.cluster_id.is_none())
            .filter_map(|i| i.parameter_groups.first().cloned())
            .collect(),
        Source::Failed(_) => BTreeSet::new(),
    };
    let (cluster_parameter_groups, instance_parameter_groups) = tokio::join!(
        join_all(cluster_groups.into_iter().map(|name| async move {
            let group = collect_cluster_parameter_group(c, &name).await;
            (name, group)
        })),
        join_all(instance_groups.into_iter().map(|name| async move {
            let group = collect_db_parameter_group(c, &name).await;
            (name, group)
        })),
    );
    let cluster_parameter_groups: BTreeMap<_, _> = cluster_parameter_groups.into_iter().collect();
    let instance_parameter_groups: BTreeMap<_, _> = instance_parameter_groups.into_iter().collect();

    let (cluster_engine_defaults, instance_engine_defaults) = tokio::join!(
        join_all(
            families(&cluster_parameter_groups)
                .into_iter()
                .map(|family| async move {
                    let r = c
                        .limiter
                        .run(
                            c.rds
                                .describe_engine_default_cluster_parameters()
                                .db_parameter_group_family(&family)
                                .into_paginator()
                                .items()
                                .send()
                                .try_collect(),
                        )
                        .await;
                    let defaults = source(
                        r,
                        SERVICE,
                        "DescribeEngineDefaultClusterParameters",
                        region,
                        |list| list.iter().map(parameter_from).collect(),
                    );
                    (family, defaults)
                })
        ),
        join_all(
            families(&instance_parameter_groups)
                .into_iter()
                .map(|family| async move {
                    let r = c
                        .limiter
                        .run(
                            c.rds
                                .describe_engine_default_parameters()
                                .db_parameter_group_family(&family)
                                .into_paginator()
                                .items()
                                .send()
                                .try_collect(),
                        )
                        .await;
                    let defaults = source(
                        r,
                        SERVICE,
                        "DescribeEngineDefaultParameters",
                        region,
                        |list| list.iter().map(parameter_from).collect(),
                    );
                    (family, defaults)
                })
        ),
    );

    RdsSnapshot {
        clusters,
        instances,
        cluster_parameter_groups,
        instance_parameter_groups,
        cluster_engine_defaults: cluster_engine_defaults.into_iter().collect(),
        instance_engine_defaults: instance_engine_defaults.into_iter().collect(),
        cluster_snapshots,
        instance_snapshots,
        certificates,
        subnet_groups,
    }
}

/// The parameter group families whose engine defaults the checks may need.
fn families(groups: &BTreeMap<String, Source<ParameterGroup>>) -> BTreeSet<String> {
    groups
        .values()
        .filter_map(|g| match g {
            Source::Collected(group) => group.family.clone(),
            Source::Failed(_) => None,
        })
        .collect()
}

async fn collect_cluster_parameter_group(c: &RegionClients, name: &str) -> Source<ParameterGroup> {
    let region = c.region.as_str();
    let (group, parameters) = tokio::join!(
        c.limiter.run(
            c.rds
                .describe_db_cluster_parameter_groups()
                .db_cluster_parameter_group_name(name)
                .send()
        ),
        c.limiter.run(
            c.rds
                .describe_db_cluster_parameters()
                .db_cluster_parameter_group_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        ),
    );
    let family = match source(
        group,
        SERVICE,
        "DescribeDBClusterParameterGroups",
        region,
        |out| {
            out.db_cluster_parameter_groups()
                .first()
                .and_then(|g| g.db_parameter_group_family().map(str::to_owned))
        },
    ) {
        Source::Collected(family) => family,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    source(
        parameters,
        SERVICE,
        "DescribeDBClusterParameters",
        region,
        |list| ParameterGroup {
            name: name.to_owned(),
            family,
            parameters: list.iter().map(parameter_from).collect(),
        },
    )
}

async fn collect_db_parameter_group(c: &RegionClients, name: &str) -> Source<ParameterGroup> {
    let region = c.region.as_str();
    let (group, parameters) = tokio::join!(
        c.limiter.run(
            c.rds
                .describe_db_parameter_groups()
                .db_parameter_group_name(name)
                .send()
        ),
        c.limiter.run(
            c.rds
                .describe_db_parameters()
                .db_parameter_group_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        ),
    );
    let family = match source(group, SERVICE, "DescribeDBParameterGroups", region, |out| {
        out.db_parameter_groups()
            .first()
            .and_then(|g| g.db_parameter_group_family().map(str::to_owned))
    }) {
        Source::Collected(family) => family,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    source(
        parameters,
        SERVICE,
        "DescribeDBParameters",
        region,
        |list| ParameterGroup {
            name: name.to_owned(),
            family,
            parameters: list.iter().map(parameter_from).collect(),
        },
    )
}

async fn collect_cluster_snapshots(c: &RegionClients) -> Source<Vec<DbSnapshot>> {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.rds
                .describe_db_cluster_snapshots()
                .snapshot_type("manual")
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let listed = match source(listed, SERVICE, "DescribeDBClusterSnapshots", region, |l| l) {
        Source::Collected(list) => list,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    let snapshots = join_all(listed.iter().map(|s| async move {
        let id = s.db_cluster_snapshot_identifier().unwrap_or_default();
        let attributes = c
            .limiter
            .run(
                c.rds
                    .describe_db_cluster_snapshot_attributes()
                    .db_cluster_snapshot_identifier(id)
                    .send(),
            )
            .await;
        DbSnapshot {
            id: id.to_owned(),
            arn: s.db_cluster_snapshot_arn().unwrap_or_default().to_owned(),
            snapshot_type: s.snapshot_type().unwrap_or_default().to_owned(),
            encrypted: s.storage_encrypted().unwrap_or(false),
            source_id: s.db_cluster_identifier().unwrap_or_default().to_owned(),
            restore_shared_with: source(
                attributes,
                SERVICE,
                "DescribeDBClusterSnapshotAttributes",
                region,
                |out| {
                    out.db_cluster_snapshot_attributes_result()
                        .map(|r| {
                            restore_values(
                                r.db_cluster_snapshot_attributes()
                                    .iter()
                                    .map(|a| (a.attribute_name(), a.attribute_values())),
                            )
                        })
                        .unwrap_or_default()
                },
            ),
        }
    }))
    .await;
    Source::Collected(snapshots)
}

async fn collect_instance_snapshots(c: &RegionClients) -> Source<Vec<DbSnapshot>> {
    let region = c.region.as_str();
    let listed = c
        .limiter
        .run(
            c.rds
                .describe_db_snapshots()
                .snapshot_type("manual")
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let listed = match source(listed, SERVICE, "DescribeDBSnapshots", region, |l| l) {
        Source::Collected(list) => list,
        Source::Failed(failure) => return Source::Failed(failure),
    };
    // The API filter asks for manual snapshots; keep only those even if an endpoint ignores it,
    // so no attribute call is spent on automated ones.
    let snapshots = join_all(
        listed
            .iter()
            .filter(|s| s.snapshot_type() == Some("manual"))
            .map(|s| async move {
                let id = s.db_snapshot_identifier().unwrap_or_default();
                let attributes = c
                    .limiter
                    .run(
                        c.rds
                            .describe_db_snapshot_attributes()
                            .db_snapshot_identifier(id)
                            .send(),
                    )
                    .await;
                DbSnapshot {
                    id: id.to_owned(),
                    arn: s.db_snapshot_arn().unwrap_or_default().to_owned(),
                    snapshot_type: s.snapshot_type().unwrap_or_default().to_owned(),
                    encrypted: s.encrypted().unwrap_or(false),
                    source_id: s.db_instance_identifier().unwrap_or_default().to_owned(),
                    restore_shared_with: source(
                        attributes,
                        SERVICE,
                        "DescribeDBSnapshotAttributes",
                        region,
                        |out| {
                            out.db_snapshot_attributes_result()
                                .map(|r| {
                                    restore_values(
                                        r.db_snapshot_attributes()
                                            .iter()
                                            .map(|a| (a.attribute_name(), a.attribute_values())),
                                    )
                                })
                                .unwrap_or_default()
                        },
                    ),
                }
            }),
    )
    .await;
    Source::Collected(snapshots)
}

/// The values of the `restore` attribute (account ids or `all`), sorted.
fn restore_values<'a>(
    attributes: impl Iterator<Item = (Option<&'a str>, &'a [String])>,
) -> Vec<String> {
    let mut values: Vec<String> = attributes
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect();
    values.sort();
    values
}

/// The KMS key references of encrypted databases (what the KMS collector must describe).
pub fn kms_keys_in_use(rds: &RdsSnapshot) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    if let Source::Collected(clusters) = &rds.clusters {
        keys.extend(
            clusters
                .iter()
                .filter(|c| c.storage_encrypted)
                .filter_map(|c| c.kms_key_id.clone()),
        );
    }
    if let Source::Collected(instances) = &rds.instances {
        keys.extend(
            instances
                .iter()
                .filter(|i| i.cluster_id.is_none() && i.storage_encrypted)
                .filter_map(|i| i.kms_key_id.clone()),
        );
    }
    keys
}
