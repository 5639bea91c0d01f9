//! Network checks (seeds 002, 003, 004): security groups, network ACLs, VPC flow logs and the
//! default VPC.
//!
//! The `ec2-sg-world-*` checks share one analysis, [`world_ingress`]: which ingress permissions of
//! a security group admit the whole internet (`0.0.0.0/0`, `::/0`, or a managed prefix list that
//! holds either), and which ones name a prefix list whose entries could not be read. Each check
//! then asks what a world-open permission exposes that it cares about ([`grade_world_ingress`]).
//! The route-table helpers ([`route_table_for_subnet`], [`internet_gateway_route`]) decide
//! whether a subnet is public; `rds-instance-private-subnets` uses them too.

use std::net::IpAddr;

use serde_json::{json, Value};

use crate::catalog::{CheckMeta, Context, Resource, Verdict};
use crate::finding::Finding;
use crate::snapshot::{
    IpPermission, RegionSnapshot, Route, RouteTable, SecurityGroup, Source, Subnet,
};

pub mod ec2_default_sg_closed;
pub mod ec2_sg_world_admin_ports;
pub mod ec2_sg_world_all_ports;
pub mod ec2_sg_world_db_ports;
pub mod ec2_sg_world_other_ports;
pub mod vpc_default_vpc_unused;
pub mod vpc_flow_logs_enabled;
pub mod vpc_nacl_world_admin_ports;

#[cfg(test)]
pub(crate) mod fixtures;

/// Resource type of a security group.
pub const SECURITY_GROUP_TYPE: &str = "AWS::EC2::SecurityGroup";
/// Resource type of a network ACL.
pub const NETWORK_ACL_TYPE: &str = "AWS::EC2::NetworkAcl";
/// Resource type of a VPC.
pub const VPC_TYPE: &str = "AWS::EC2::VPC";

/// Remote administration ports: SSH and RDP.
pub const ADMIN_PORTS: &[u16] = &[22, 3389];
/// Database and data-store ports: SQL Server, Oracle, MySQL, PostgreSQL, Redshift, Redis,
/// MongoDB, Elasticsearch/OpenSearch.
pub const DB_PORTS: &[u16] = &[1433, 1521, 3306, 5432, 5439, 6379, 27017, 9200];

/// An EC2 resource with its ARN (`arn:{partition}:ec2:{region}:{account}:{kind}/{id}`), or no
/// ARN when the snapshot lacks the partition or account.
pub fn ec2_resource(
    ctx: &Context,
    region: &str,
    resource_type: &str,
    kind: &str,
    id: &str,
) -> Resource {
    let snapshot = ctx.snapshot;
    let arn = if snapshot.partition.is_empty() || snapshot.account_id.is_empty() {
        String::new()
    } else {
        format!(
            "arn:{}:ec2:{region}:{}:{kind}/{id}",
            snapshot.partition, snapshot.account_id
        )
    };
    Resource::new(resource_type, id, &arn)
}

/// The finding for a security group.
pub fn security_group_resource(ctx: &Context, region: &str, group: &SecurityGroup) -> Resource {
    ec2_resource(
        ctx,
        region,
        SECURITY_GROUP_TYPE,
        "security-group",
        &group.id,
    )
}

/// The collected data of a region-wide listing; when it failed, pushes one region-level `error`
/// finding naming `what` and returns `None`.
pub fn listed<'a, T>(
    ctx: &Context,
    meta: &CheckMeta,
    region_name: &str,
    source: &'a Source<T>,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Option<&'a T> {
    match source {
        Source::Collected(data) => Some(data),
        Source::Failed(failure) => {
            findings.push(meta.finding(
                ctx,
                region_name,
                &Resource::region(region_name),
                Verdict::error(what, failure),
            ));
            None
        }
    }
}

/// True when a CIDR covers every address of its family (`0.0.0.0/0`, `::/0`).
pub fn is_world(cidr: &str) -> bool {
    cidr.trim()
        .rsplit_once('/')
        .is_some_and(|(address, length)| {
            length.trim() == "0" && address.trim().parse::<IpAddr>().is_ok()
        })
}

/// A protocol that has ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortProtocol {
    /// TCP (`tcp`, `6`).
    Tcp,
    /// UDP (`udp`, `17`).
    Udp,
}

impl PortProtocol {
    /// `tcp` or `udp`.
    pub fn as_str(self) -> &'static str {
        match self {
            PortProtocol::Tcp => "tcp",
            PortProtocol::Udp => "udp",
        }
    }
}

/// What traffic a security group permission admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traffic {
    /// Every protocol and port (`-1`).
    All,
    /// TCP or UDP ports `from..=to`.
    Ports {
        /// TCP or UDP.
        protocol: PortProtocol,
        /// First port.
        from: u16,
        /// Last port.
        to: u16,
    },
    /// A protocol without ports (ICMP, ICMPv6, ESP, GRE, ...).
    Other,
}

fn port(value: i32) -> u16 {
    u16::try_from(value.clamp(0, i32::from(u16::MAX))).unwrap_or(u16::MAX)
}

impl Traffic {
    /// Classifies a permission. A TCP/UDP rule without ports, or with `-1`/`-1`, admits every
    /// port.
    pub fn of(permission: &IpPermission) -> Traffic {
        let protocol = match permission.protocol.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => return Traffic::All,
            "tcp" | "6" => PortProtocol::Tcp,
            "udp" | "17" => PortProtocol::Udp,
            _ => return Traffic::Other,
        };
        let (from, to) = match (permission.from_port, permission.to_port) {
            (Some(-1), Some(-1)) => (0, u16::MAX),
            (Some(from), Some(to)) => (port(from), port(to)),
            _ => (0, u16::MAX),
        };
        Traffic::Ports { protocol, from, to }
    }

    /// True when it admits TCP traffic to `port`.
    pub fn covers_tcp(self, port: u16) -> bool {
        match self {
            Traffic::All => true,
            Traffic::Ports {
                protocol: PortProtocol::Tcp,
                from,
                to,
            } => from <= port && port <= to,
            _ => false,
        }
    }

    /// `all traffic`, `tcp 22`, `tcp 3000-4000`, or `other protocol`.
    pub fn describe(self) -> String {
        match self {
            Traffic::All => "all traffic".to_owned(),
            Traffic::Ports { protocol, from, to } => describe_ports(protocol, from, to),
            Traffic::Other => "other protocol".to_owned(),
        }
    }
}

/// `tcp 22` or `tcp 3000-4000`.
pub fn describe_ports(protocol: PortProtocol, from: u16, to: u16) -> String {
    if from == to {
        format!("{} {from}", protocol.as_str())
    } else {
        format!("{} {from}-{to}", protocol.as_str())
    }
}

/// The listed TCP ports that `traffic` admits, as text (`["22", "3389"]`).
pub fn tcp_ports_exposed(traffic: Traffic, ports: &[u16]) -> Vec<String> {
    ports
        .iter()
        .filter(|p| traffic.covers_tcp(**p))
        .map(u16::to_string)
        .collect()
}

/// An ingress permission open to the whole internet.
#[derive(Debug, Clone)]
pub struct OpenRule<'a> {
    /// The permission.
    pub permission: &'a IpPermission,
    /// What it admits.
    pub traffic: Traffic,
    /// The world sources (`0.0.0.0/0`, `::/0`, `pl-1 (holds 0.0.0.0/0)`).
    pub sources: Vec<String>,
}

/// An ingress permission from a managed prefix list whose entries are unknown.
#[derive(Debug, Clone)]
pub struct UnresolvedRule<'a> {
    /// The permission.
    pub permission: &'a IpPermission,
    /// What it admits.
    pub traffic: Traffic,
    /// The prefix list id.
    pub prefix_list: &'a str,
    /// Why its entries are unknown.
    pub reason: String,
}

/// The world-facing ingress of one security group.
#[derive(Debug, Clone, Default)]
pub struct WorldIngress<'a> {
    /// Permissions that admit the whole internet.
    pub open: Vec<OpenRule<'a>>,
    /// Permissions (not already open) that name a prefix list that could not be resolved.
    pub unresolved: Vec<UnresolvedRule<'a>>,
}

/// Which ingress permissions of `group` admit the internet: a world CIDR, or a managed prefix list
/// (resolved through `ec2.prefix_lists`) holding one. Prefix lists that failed or were not
/// collected are reported as unresolved, never as safe.
pub fn world_ingress<'a>(group: &'a SecurityGroup, region: &'a RegionSnapshot) -> WorldIngress<'a> {
    let mut out = WorldIngress::default();
    for permission in &group.ingress {
        let traffic = Traffic::of(permission);
        let mut sources: Vec<String> = permission
            .ipv4_ranges
            .iter()
            .chain(&permission.ipv6_ranges)
            .filter(|cidr| is_world(cidr))
            .map(|cidr| cidr.trim().to_owned())
            .collect();
        let mut unresolved = Vec::new();
        for id in &permission.prefix_list_ids {
            match region.ec2.prefix_lists.get(id) {
                Some(Source::Collected(cidrs)) => {
                    if let Some(world) = cidrs.iter().find(|c| is_world(c)) {
                        sources.push(format!("prefix list {id} (holds {})", world.trim()));
                    }
                }
                Some(Source::Failed(failure)) => unresolved.push(UnresolvedRule {
                    permission,
                    traffic,
                    prefix_list: id,
                    reason: failure.describe(),
                }),
                None => unresolved.push(UnresolvedRule {
                    permission,
                    traffic,
                    prefix_list: id,
                    reason: "its entries were not collected".to_owned(),
                }),
            }
        }
        if sources.is_empty() {
            out.unresolved.extend(unresolved);
        } else {
            out.open.push(OpenRule {
                permission,
                traffic,
                sources,
            });
        }
    }
    out
}

fn permission_evidence(permission: &IpPermission) -> Value {
    json!({
        "IpProtocol": permission.protocol,
        "FromPort": permission.from_port,
        "ToPort": permission.to_port,
    })
}

/// Grades one security group for a `ec2-sg-world-*` check: `exposes` says what a world-open
/// permission's traffic exposes that the check cares about (empty: nothing). Fail when a
/// world-open permission exposes something; else manual when an unresolved prefix list would;
/// else pass. `scope` names what the check guards, for messages.
pub fn world_ingress_verdict(
    group: &SecurityGroup,
    region: &RegionSnapshot,
    scope: &str,
    exposes: &dyn Fn(Traffic) -> Vec<String>,
) -> Verdict {
    let world = world_ingress(group, region);
    let subject = if group.name.is_empty() {
        format!("security group {}", group.id)
    } else {
        format!("security group {} ({})", group.id, group.name)
    };
    let mut open_text = Vec::new();
    let mut open_evidence = Vec::new();
    for rule in &world.open {
        let exposed = exposes(rule.traffic);
        if exposed.is_empty() {
            continue;
        }
        open_text.push(format!(
            "{} through {} from {}",
            exposed.join(", "),
            rule.traffic.describe(),
            rule.sources.join(", ")
        ));
        let mut evidence = permission_evidence(rule.permission);
        evidence["Sources"] = json!(rule.sources);
        evidence["Exposes"] = json!(exposed);
        open_evidence.push(evidence);
    }
    let mut unresolved_text = Vec::new();
    let mut unresolved_evidence = Vec::new();
    for rule in &world.unresolved {
        let exposed = exposes(rule.traffic);
        if exposed.is_empty() {
            continue;
        }
        unresolved_text.push(format!(
            "prefix list {} on {} ({})",
            rule.prefix_list,
            exposed.join(", "),
            rule.reason
        ));
        let mut evidence = permission_evidence(rule.permission);
        evidence["PrefixListId"] = json!(rule.prefix_list);
        evidence["Reason"] = json!(rule.reason);
        evidence["Exposes"] = json!(exposed);
        unresolved_evidence.push(evidence);
    }
    let evidence = json!({
        "GroupId": group.id,
        "GroupName": group.name,
        "VpcId": group.vpc_id,
        "WorldOpenRules": open_evidence,
        "UnresolvedPrefixLists": unresolved_evidence,
    });
    if !open_text.is_empty() {
        Verdict::fail(
            format!(
                "{subject} admits the internet on {scope}: {}",
                open_text.join("; ")
            ),
            evidence,
        )
    } else if !unresolved_text.is_empty() {
        Verdict::manual(
            format!(
                "{subject} admits {}; confirm the list holds no 0.0.0.0/0 or ::/0 (checked {scope})",
                unresolved_text.join("; ")
            ),
            evidence,
        )
    } else {
        Verdict::pass(
            format!("{subject} admits no internet traffic on {scope}"),
            evidence,
        )
    }
}

/// Runs [`world_ingress_verdict`] over every security group of every region; a failed
/// DescribeSecurityGroups becomes one region-level `error` finding.
pub fn grade_world_ingress(
    ctx: &Context,
    meta: &CheckMeta,
    scope: &str,
    exposes: &dyn Fn(Traffic) -> Vec<String>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let Some(groups) = listed(
            ctx,
            meta,
            region_name,
            &region.ec2.security_groups,
            "the security group list",
            &mut findings,
        ) else {
            continue;
        };
        for group in groups {
            let verdict = world_ingress_verdict(group, region, scope, exposes);
            findings.push(meta.finding(
                ctx,
                region_name,
                &security_group_resource(ctx, region_name, group),
                verdict,
            ));
        }
    }
    findings
}

/// The route table that governs `subnet`: the table explicitly associated with it, else the main
/// table of its VPC. `None` when neither is in `tables`.
pub fn route_table_for_subnet<'a>(
    subnet: &Subnet,
    tables: &'a [RouteTable],
) -> Option<&'a RouteTable> {
    tables
        .iter()
        .find(|t| t.subnet_ids.contains(&subnet.id))
        .or_else(|| {
            tables
                .iter()
                .find(|t| t.is_main && t.vpc_id == subnet.vpc_id)
        })
}

/// The first route of `table` to an internet gateway (`igw-...`), ignoring blackhole routes
/// (their gateway is gone, so they lead nowhere).
pub fn internet_gateway_route(table: &RouteTable) -> Option<&Route> {
    table.routes.iter().find(|route| {
        route
            .gateway_id
            .as_deref()
            .is_some_and(|g| g.trim().starts_with("igw-"))
            && !route
                .state
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("blackhole"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_cidrs_of_both_families() {
        assert!(is_world("0.0.0.0/0"));
        assert!(is_world("::/0"));
        assert!(is_world(" 0.0.0.0/0 "));
        assert!(!is_world("10.0.0.0/8"));
        assert!(!is_world("0.0.0.0/1"));
        assert!(!is_world("2001:db8::/32"));
        assert!(!is_world("pl-1"));
    }

    #[test]
    fn traffic_classification() {
        let p = |protocol: &str, from: Option<i32>, to: Option<i32>| IpPermission {
            protocol: protocol.into(),
            from_port: from,
            to_port: to,
            ..IpPermission::default()
        };
        assert_eq!(Traffic::of(&p("-1", None, None)), Traffic::All);
        assert_eq!(
            Traffic::of(&p("6", Some(22), Some(22))),
            Traffic::Ports {
                protocol: PortProtocol::Tcp,
                from: 22,
                to: 22
            }
        );
        assert_eq!(
            Traffic::of(&p("tcp", None, None)),
            Traffic::Ports {
                protocol: PortProtocol::Tcp,
                from: 0,
                to: 65535
            }
        );
        assert_eq!(Traffic::of(&p("icmp", Some(-1), Some(-1))), Traffic::Other);
        assert!(Traffic::of(&p("tcp", Some(3000), Some(4000))).covers_tcp(3389));
        assert!(!Traffic::of(&p("udp", Some(22), Some(22))).covers_tcp(22));
    }
}
