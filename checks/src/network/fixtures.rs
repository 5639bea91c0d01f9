//! Hand-built snapshots for the network checks' unit tests: a compliant baseline to mutate.
//!
//! The snapshot wrapper and finding lookups are the RDS fixtures' (same account, region, time).

use std::collections::BTreeMap;

use crate::snapshot::*;

pub use crate::rds::fixtures::{evaluate, evaluate_with, finding_for, status_of};

/// A failed EC2 call.
pub fn ec2_failure(operation: &str) -> Failure {
    Failure::new(
        "ec2",
        operation,
        crate::rds::fixtures::REGION,
        "UnauthorizedOperation",
        "not authorized",
    )
}

/// A TCP permission from one IPv4 CIDR.
pub fn tcp(from: i32, to: i32, cidr: &str) -> IpPermission {
    IpPermission {
        protocol: "tcp".into(),
        from_port: Some(from),
        to_port: Some(to),
        ipv4_ranges: vec![cidr.into()],
        ..IpPermission::default()
    }
}

/// A TCP permission from one IPv6 CIDR.
pub fn tcp6(from: i32, to: i32, cidr: &str) -> IpPermission {
    IpPermission {
        protocol: "tcp".into(),
        from_port: Some(from),
        to_port: Some(to),
        ipv6_ranges: vec![cidr.into()],
        ..IpPermission::default()
    }
}

/// A UDP permission from one IPv4 CIDR.
pub fn udp(from: i32, to: i32, cidr: &str) -> IpPermission {
    IpPermission {
        protocol: "udp".into(),
        ..tcp(from, to, cidr)
    }
}

/// An all-traffic (`-1`) permission from one IPv4 CIDR.
pub fn all_traffic(cidr: &str) -> IpPermission {
    IpPermission {
        protocol: "-1".into(),
        ipv4_ranges: vec![cidr.into()],
        ..IpPermission::default()
    }
}

/// A TCP permission from one managed prefix list.
pub fn tcp_prefix_list(from: i32, to: i32, prefix_list: &str) -> IpPermission {
    IpPermission {
        protocol: "tcp".into(),
        from_port: Some(from),
        to_port: Some(to),
        prefix_list_ids: vec![prefix_list.into()],
        ..IpPermission::default()
    }
}

/// A custom security group in `vpc-app` with the given ingress.
pub fn group(id: &str, ingress: Vec<IpPermission>) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: format!("{id}-name"),
        vpc_id: Some("vpc-app".into()),
        ingress,
        egress: vec![all_traffic("0.0.0.0/0")],
    }
}

/// A VPC's default security group with every rule removed.
pub fn closed_default_group(id: &str, vpc: &str) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: "default".into(),
        vpc_id: Some(vpc.into()),
        ingress: vec![],
        egress: vec![],
    }
}

/// One NACL entry.
pub fn nacl_entry(
    rule_number: i32,
    protocol: &str,
    action: &str,
    cidr: &str,
    ports: Option<(i32, i32)>,
) -> NaclEntry {
    let ipv6 = cidr.contains(':');
    NaclEntry {
        rule_number,
        protocol: protocol.into(),
        rule_action: action.into(),
        egress: false,
        cidr_block: (!ipv6).then(|| cidr.to_owned()),
        ipv6_cidr_block: ipv6.then(|| cidr.to_owned()),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
    }
}

/// A network ACL with the given entries plus the implicit denies (32767 / 32768).
pub fn nacl(id: &str, mut entries: Vec<NaclEntry>) -> NetworkAcl {
    entries.push(nacl_entry(32767, "-1", "deny", "0.0.0.0/0", None));
    entries.push(nacl_entry(32768, "-1", "deny", "::/0", None));
    NetworkAcl {
        id: id.into(),
        vpc_id: "vpc-app".into(),
        is_default: false,
        entries,
        subnet_ids: vec!["subnet-web".into()],
    }
}

/// A route.
pub fn route(destination: &str, gateway: &str) -> Route {
    Route {
        destination: destination.into(),
        gateway_id: Some(gateway.into()),
        state: Some("active".into()),
    }
}

/// An active VPC flow log.
pub fn flow_log(id: &str, vpc: &str) -> FlowLog {
    FlowLog {
        id: id.into(),
        resource_id: vpc.into(),
        status: "ACTIVE".into(),
        traffic_type: Some("ALL".into()),
        deliver_logs_status: Some("SUCCESS".into()),
    }
}

/// A compliant region: a custom VPC `vpc-app` (public `subnet-web`, private `subnet-db-a` and
/// `subnet-db-b`) and an empty default VPC `vpc-default`, both with active flow logs and closed
/// default security groups; a web group open to the world on 80/443 only; a database group
/// admitting the web group; a NACL allowing 80/443 from the world and denying the rest.
pub fn compliant_region() -> RegionSnapshot {
    let mut region = RegionSnapshot::default();
    region.ec2.vpcs = Source::Collected(vec![
        Vpc {
            id: "vpc-app".into(),
            is_default: false,
            cidr_block: Some("10.0.0.0/16".into()),
        },
        Vpc {
            id: "vpc-default".into(),
            is_default: true,
            cidr_block: Some("172.31.0.0/16".into()),
        },
    ]);
    region.ec2.security_groups = Source::Collected(vec![
        group(
            "sg-web",
            vec![
                tcp(443, 443, "0.0.0.0/0"),
                tcp6(443, 443, "::/0"),
                tcp(80, 80, "0.0.0.0/0"),
            ],
        ),
        group(
            "sg-db",
            vec![IpPermission {
                protocol: "tcp".into(),
                from_port: Some(5432),
                to_port: Some(5432),
                source_group_ids: vec!["sg-web".into()],
                ..IpPermission::default()
            }],
        ),
        closed_default_group("sg-default-app", "vpc-app"),
        closed_default_group("sg-default-default", "vpc-default"),
    ]);
    region.ec2.network_acls = Source::Collected(vec![nacl(
        "acl-web",
        vec![
            nacl_entry(100, "6", "allow", "0.0.0.0/0", Some((443, 443))),
            nacl_entry(110, "6", "allow", "0.0.0.0/0", Some((80, 80))),
            // Return traffic on the Linux ephemeral range, above every graded port.
            nacl_entry(120, "6", "allow", "0.0.0.0/0", Some((32768, 65535))),
            NaclEntry {
                egress: true,
                ..nacl_entry(100, "-1", "allow", "0.0.0.0/0", None)
            },
        ],
    )]);
    region.ec2.subnets = Source::Collected(
        ["subnet-web", "subnet-db-a", "subnet-db-b"]
            .map(|id| Subnet {
                id: id.into(),
                vpc_id: "vpc-app".into(),
                cidr_block: None,
            })
            .to_vec(),
    );
    region.ec2.route_tables = Source::Collected(vec![
        RouteTable {
            id: "rtb-main".into(),
            vpc_id: "vpc-app".into(),
            is_main: true,
            subnet_ids: vec![],
            routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "nat-1")],
        },
        RouteTable {
            id: "rtb-public".into(),
            vpc_id: "vpc-app".into(),
            is_main: false,
            subnet_ids: vec!["subnet-web".into()],
            routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1")],
        },
    ]);
    region.ec2.flow_logs = Source::Collected(vec![
        flow_log("fl-app", "vpc-app"),
        flow_log("fl-default", "vpc-default"),
    ]);
    region.ec2.network_interfaces_per_vpc = Source::Collected(BTreeMap::from([
        ("vpc-app".to_owned(), 12),
        ("vpc-default".to_owned(), 0),
    ]));
    region
}

/// Replaces the security groups of a region.
pub fn with_groups(mut region: RegionSnapshot, groups: Vec<SecurityGroup>) -> RegionSnapshot {
    region.ec2.security_groups = Source::Collected(groups);
    region
}
