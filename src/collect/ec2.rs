//! EC2 collector: security groups (one collection per region, shared by every check).

use aws_sdk_ec2::types as sdk;
use hipaa_checks::snapshot::{Ec2Snapshot, IpPermission, SecurityGroup};

use super::{source, RegionClients};

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

/// DescribeSecurityGroups, all pages: every group of the region.
pub async fn collect(c: &RegionClients) -> Ec2Snapshot {
    let listed = c
        .limiter
        .run(
            c.ec2
                .describe_security_groups()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await;
    let security_groups = source(
        listed,
        "ec2",
        "DescribeSecurityGroups",
        &c.region,
        |groups| {
            let mut groups: Vec<SecurityGroup> = groups
                .iter()
                .map(|g| SecurityGroup {
                    id: g.group_id().unwrap_or_default().to_owned(),
                    name: g.group_name().unwrap_or_default().to_owned(),
                    vpc_id: g.vpc_id().map(str::to_owned),
                    ingress: g.ip_permissions().iter().map(permission_from).collect(),
                })
                .collect();
            groups.sort_by(|a, b| a.id.cmp(&b.id));
            groups
        },
    );
    Ec2Snapshot { security_groups }
}
