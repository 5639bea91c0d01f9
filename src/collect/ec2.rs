//! EC2 collector: security groups (+ the prefix lists they reference), NACLs, VPCs, subnets,
//! route tables, flow logs, default-VPC network interfaces, volumes, EBS default encryption and
//! instances. One collection per region, shared by the RDS and network checks.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types as sdk;
use futures::future::join_all;
use hipaa_checks::snapshot::{
    Ec2Snapshot, FlowLog, Instance, IpPermission, NaclEntry, NetworkAcl, Route, RouteTable,
    SecurityGroup, Subnet, Volume, Vpc,
};
use hipaa_checks::Source;

use super::{all_items, listing, source, RegionClients};

const SERVICE: &str = "ec2";

fn permission_from(p: &sdk::IpPermission) -> IpPermission {
    IpPermission {
        protocol: p.ip_protocol().unwrap_or("-1").to_owned(),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ipv4_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_owned))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_owned))
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .filter_map(|r| r.prefix_list_id().map(str::to_owned))
            .collect(),
        source_group_ids: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|r| r.group_id().map(str::to_owned))
            .collect(),
    }
}

fn tags(list: &[sdk::Tag]) -> BTreeMap<String, String> {
    list.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

fn security_group_from(g: &sdk::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_owned(),
        name: g.group_name().unwrap_or_default().to_owned(),
        vpc_id: g.vpc_id().map(str::to_owned),
        ingress: g.ip_permissions().iter().map(permission_from).collect(),
        egress: g
            .ip_permissions_egress()
            .iter()
            .map(permission_from)
            .collect(),
    }
}

fn network_acl_from(a: &sdk::NetworkAcl) -> NetworkAcl {
    NetworkAcl {
        id: a.network_acl_id().unwrap_or_default().to_owned(),
        vpc_id: a.vpc_id().unwrap_or_default().to_owned(),
        is_default: a.is_default().unwrap_or(false),
        entries: a
            .entries()
            .iter()
            .map(|e| NaclEntry {
                rule_number: e.rule_number().unwrap_or(i32::MAX),
                protocol: e.protocol().unwrap_or("-1").to_owned(),
                rule_action: e
                    .rule_action()
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                egress: e.egress().unwrap_or(false),
                cidr_block: e.cidr_block().map(str::to_owned),
                ipv6_cidr_block: e.ipv6_cidr_block().map(str::to_owned),
                from_port: e.port_range().and_then(|p| p.from()),
                to_port: e.port_range().and_then(|p| p.to()),
            })
            .collect(),
        subnet_ids: a
            .associations()
            .iter()
            .filter_map(|s| s.subnet_id().map(str::to_owned))
            .collect(),
    }
}

fn vpc_from(v: &sdk::Vpc) -> Vpc {
    Vpc {
        id: v.vpc_id().unwrap_or_default().to_owned(),
        is_default: v.is_default().unwrap_or(false),
        cidr_block: v.cidr_block().map(str::to_owned),
    }
}

fn subnet_from(s: &sdk::Subnet) -> Subnet {
    Subnet {
        id: s.subnet_id().unwrap_or_default().to_owned(),
        vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
        cidr_block: s.cidr_block().map(str::to_owned),
    }
}

fn route_table_from(t: &sdk::RouteTable) -> RouteTable {
    RouteTable {
        id: t.route_table_id().unwrap_or_default().to_owned(),
        vpc_id: t.vpc_id().unwrap_or_default().to_owned(),
        is_main: t.associations().iter().any(|a| a.main().unwrap_or(false)),
        subnet_ids: t
            .associations()
            .iter()
            .filter_map(|a| a.subnet_id().map(str::to_owned))
            .collect(),
        routes: t
            .routes()
            .iter()
            .map(|r| Route {
                destination: r
                    .destination_cidr_block()
                    .or(r.destination_ipv6_cidr_block())
                    .or(r.destination_prefix_list_id())
                    .unwrap_or_default()
                    .to_owned(),
                gateway_id: r.gateway_id().map(str::to_owned),
                state: r.state().map(|s| s.as_str().to_owned()),
            })
            .collect(),
    }
}

fn flow_log_from(f: &sdk::FlowLog) -> FlowLog {
    FlowLog {
        id: f.flow_log_id().unwrap_or_default().to_owned(),
        resource_id: f.resource_id().unwrap_or_default().to_owned(),
        status: f.flow_log_status().unwrap_or_default().to_owned(),
        traffic_type: f.traffic_type().map(|t| t.as_str().to_owned()),
        deliver_logs_status: f.deliver_logs_status().map(str::to_owned),
    }
}

fn volume_from(v: &sdk::Volume) -> Volume {
    Volume {
        id: v.volume_id().unwrap_or_default().to_owned(),
        encrypted: v.encrypted().unwrap_or(false),
        kms_key_id: v.kms_key_id().map(str::to_owned),
        tags: tags(v.tags()),
        attached_instance_ids: v
            .attachments()
            .iter()
            .filter_map(|a| a.instance_id().map(str::to_owned))
            .collect(),
    }
}

fn instance_from(i: &sdk::Instance) -> Instance {
    Instance {
        id: i.instance_id().unwrap_or_default().to_owned(),
        vpc_id: i.vpc_id().map(str::to_owned),
        state: i
            .state()
            .and_then(|s| s.name())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
        tags: tags(i.tags()),
    }
}

/// Every EC2 source the checks read, for one region.
pub async fn collect(c: &RegionClients) -> Ec2Snapshot {
    let region = c.region.as_str();
    let ec2 = &c.ec2;
    let (
        security_groups,
        network_acls,
        vpcs,
        subnets,
        route_tables,
        flow_logs,
        volumes,
        ebs_default,
        instances,
    ) = tokio::join!(
        all_items!(
            c.limiter,
            ec2.describe_security_groups(),
            SERVICE,
            "DescribeSecurityGroups",
            region,
            security_group_from,
            |g| &g.id
        ),
        all_items!(
            c.limiter,
            ec2.describe_network_acls(),
            SERVICE,
            "DescribeNetworkAcls",
            region,
            network_acl_from,
            |a| &a.id
        ),
        all_items!(
            c.limiter,
            ec2.describe_vpcs(),
            SERVICE,
            "DescribeVpcs",
            region,
            vpc_from,
            |v| &v.id
        ),
        all_items!(
            c.limiter,
            ec2.describe_subnets(),
            SERVICE,
            "DescribeSubnets",
            region,
            subnet_from,
            |s| { &s.id }
        ),
        all_items!(
            c.limiter,
            ec2.describe_route_tables(),
            SERVICE,
            "DescribeRouteTables",
            region,
            route_table_from,
            |t| &t.id
        ),
        all_items!(
            c.limiter,
            ec2.describe_flow_logs(),
            SERVICE,
            "DescribeFlowLogs",
            region,
            flow_log_from,
            |f| { &f.id }
        ),
        all_items!(
            c.limiter,
            ec2.describe_volumes(),
            SERVICE,
            "DescribeVolumes",
            region,
            volume_from,
            |v| { &v.id }
        ),
        c.limiter.run(async {
            let r = ec2.get_ebs_encryption_by_default().send().await;
            source(r, SERVICE, "GetEbsEncryptionByDefault", region, |out| {
                out.ebs_encryption_by_default().unwrap_or(false)
            })
        }),
        c.limiter.run(async {
            let r = ec2
                .describe_instances()
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await;
            let r = r.map(|reservations: Vec<sdk::Reservation>| {
                reservations
                    .iter()
                    .flat_map(|r| r.instances().to_vec())
                    .collect::<Vec<_>>()
            });
            listing(
                r,
                SERVICE,
                "DescribeInstances",
                region,
                instance_from,
                |i| &i.id,
            )
        }),
    );

    let (prefix_lists, network_interfaces_per_vpc) = tokio::join!(
        collect_prefix_lists(c, &security_groups),
        count_default_vpc_interfaces(c, &vpcs),
    );

    Ec2Snapshot {
        security_groups,
        prefix_lists,
        network_acls,
        vpcs,
        subnets,
        route_tables,
        flow_logs,
        network_interfaces_per_vpc,
        volumes,
        ebs_encryption_by_default: ebs_default,
        instances,
    }
}

/// GetManagedPrefixListEntries for every prefix list a security group rule references.
async fn collect_prefix_lists(
    c: &RegionClients,
    groups: &Source<Vec<SecurityGroup>>,
) -> BTreeMap<String, Source<Vec<String>>> {
    let Source::Collected(groups) = groups else {
        return BTreeMap::new();
    };
    let ids: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| g.ingress.iter().chain(&g.egress))
        .flat_map(|p| p.prefix_list_ids.iter().map(String::as_str))
        .collect();
    join_all(ids.into_iter().map(|id| async move {
        let r = c
            .limiter
            .run(
                c.ec2
                    .get_managed_prefix_list_entries()
                    .prefix_list_id(id)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await;
        let entries = source(
            r,
            SERVICE,
            "GetManagedPrefixListEntries",
            &c.region,
            |entries: Vec<sdk::PrefixListEntry>| {
                entries
                    .iter()
                    .filter_map(|e| e.cidr().map(str::to_owned))
                    .collect()
            },
        );
        (id.to_owned(), entries)
    }))
    .await
    .into_iter()
    .collect()
}

/// Network interfaces in the default VPC (the only VPC whose use is graded): one page is enough
/// to tell "holds workloads" from "empty".
async fn count_default_vpc_interfaces(
    c: &RegionClients,
    vpcs: &Source<Vec<Vpc>>,
) -> Source<BTreeMap<String, u32>> {
    let vpcs = match vpcs {
        Source::Collected(vpcs) => vpcs,
        Source::Failed(failure) => return Source::Failed(failure.clone()),
    };
    let Some(default_vpc) = vpcs.iter().find(|v| v.is_default) else {
        return Source::Collected(BTreeMap::new());
    };
    let r = c
        .limiter
        .run(
            c.ec2
                .describe_network_interfaces()
                .filters(
                    sdk::Filter::builder()
                        .name("vpc-id")
                        .values(&default_vpc.id)
                        .build(),
                )
                .max_results(1000)
                .send(),
        )
        .await;
    source(r, SERVICE, "DescribeNetworkInterfaces", &c.region, |out| {
        let count = u32::try_from(out.network_interfaces().len()).unwrap_or(u32::MAX);
        BTreeMap::from([(default_vpc.id.clone(), count)])
    })
}
