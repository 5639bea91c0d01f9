//! ec2-sg-world-other-ports: the internet reaches only the authorized ports (default 80, 443).

use super::{describe_ports, grade_world_ingress, Traffic, SECURITY_GROUP_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: world-open TCP/UDP ports are all in `authorized_ports`.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-sg-world-other-ports",
    title: "Security groups open only authorized ports to the internet",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[SECURITY_GROUP_TYPE],
    requirement: "The only ports a security group may open to 0.0.0.0/0 or ::/0 are the \
        authorized ones (config authorized_ports, default 80 and 443: the public web tier, \
        seed 002). Any other TCP or UDP port or range, or an all-traffic rule, reachable from \
        the internet fails, and the finding names the ports. Authorized ports apply to TCP and \
        UDP alike; protocols without ports (ICMP, ...) are not graded here. A managed prefix list \
        holding 0.0.0.0/0 or ::/0 counts as the world; one whose entries could not be read makes \
        the finding manual.",
    evidence: &[
        "ec2:DescribeSecurityGroups IpPermissions",
        "ec2:GetManagedPrefixListEntries",
    ],
    remediation: Remediation {
        summary: "Restrict the source of rules for unauthorized ports to known networks or security groups, or add the port to authorized_ports if it is meant to be public.",
        console: "VPC > Security groups > select the group > Inbound rules > Edit inbound rules > \
            for each rule with source 0.0.0.0/0 or ::/0 on a port other than the authorized ones, \
            change the source to the network or security group that needs it, or delete it > Save rules.",
        cli: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --security-group-rule-ids <sgr-id>\n\
              aws ec2 authorize-security-group-ingress --group-id <id> --protocol tcp --port <port> --cidr <trusted-cidr>",
        cloudformation: "AWS::EC2::SecurityGroup SecurityGroupIngress: CidrIp 0.0.0.0/0 / CidrIpv6 ::/0 \
            only on the authorized ports (FromPort = ToPort = 443)",
    },
    seeds: &["seed 002", "seed 003"],
    source_file: file!(),
};

/// The parts of `from..=to` outside `authorized`, as inclusive ranges.
fn unauthorized_ranges(from: u16, to: u16, authorized: &[u16]) -> Vec<(u16, u16)> {
    let mut allowed: Vec<u16> = authorized
        .iter()
        .copied()
        .filter(|p| from <= *p && *p <= to)
        .collect();
    allowed.sort_unstable();
    allowed.dedup();
    let mut out = Vec::new();
    let mut next = u32::from(from);
    for port in allowed {
        if u32::from(port) > next {
            out.push((next, u32::from(port) - 1));
        }
        next = u32::from(port) + 1;
    }
    if next <= u32::from(to) {
        out.push((next, u32::from(to)));
    }
    out.into_iter()
        .filter_map(|(a, b)| Some((u16::try_from(a).ok()?, u16::try_from(b).ok()?)))
        .collect()
}

/// What a world-open rule exposes beyond the authorized ports.
fn unauthorized(traffic: Traffic, authorized: &[u16]) -> Vec<String> {
    match traffic {
        Traffic::All => vec!["every protocol and port".to_owned()],
        Traffic::Ports { protocol, from, to } => unauthorized_ranges(from, to, authorized)
            .into_iter()
            .map(|(a, b)| describe_ports(protocol, a, b))
            .collect(),
        Traffic::Other => Vec::new(),
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let authorized = &ctx.config.authorized_ports;
    let listed: Vec<String> = authorized.iter().map(u16::to_string).collect();
    let scope = if listed.is_empty() {
        "any port (no port is authorized)".to_owned()
    } else {
        format!("ports other than the authorized {}", listed.join(", "))
    };
    grade_world_ingress(ctx, &META, &scope, &|traffic| {
        unauthorized(traffic, authorized)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::network::fixtures::*;
    use crate::snapshot::{IpPermission, RegionSnapshot, Source};

    fn one_group(ingress: Vec<IpPermission>) -> RegionSnapshot {
        with_groups(compliant_region(), vec![group("sg-x", ingress)])
    }

    fn status(ingress: Vec<IpPermission>) -> Status {
        status_of(&evaluate(&CHECK, one_group(ingress)), "sg-x")
    }

    #[test]
    fn pass_when_only_80_and_443_are_public() {
        let findings = evaluate(&CHECK, compliant_region());
        assert!(findings.iter().all(|f| f.status == Status::Pass));
        assert_eq!(status(vec![tcp(80, 80, "0.0.0.0/0")]), Status::Pass);
        assert_eq!(status(vec![udp(443, 443, "::/0")]), Status::Pass);
        assert_eq!(status(vec![tcp(8080, 8080, "10.0.0.0/8")]), Status::Pass);
    }

    #[test]
    fn fail_names_the_unauthorized_port() {
        let findings = evaluate(&CHECK, one_group(vec![tcp(8080, 8080, "0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("tcp 8080"), "{}", finding.message);
        assert_eq!(status(vec![tcp6(8443, 8443, "::/0")]), Status::Fail);
    }

    #[test]
    fn fail_names_the_ranges_around_authorized_ports() {
        let findings = evaluate(&CHECK, one_group(vec![tcp(0, 65535, "0.0.0.0/0")]));
        let message = &finding_for(&findings, "sg-x").message;
        assert!(
            message.contains("tcp 0-79, tcp 81-442, tcp 444-65535"),
            "{message}"
        );
        let findings = evaluate(&CHECK, one_group(vec![tcp(80, 443, "0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert!(
            finding.message.contains("tcp 81-442"),
            "{}",
            finding.message
        );
        assert_eq!(
            finding.evidence["WorldOpenRules"][0]["Exposes"],
            serde_json::json!(["tcp 81-442"])
        );
    }

    #[test]
    fn fail_on_all_traffic() {
        assert_eq!(status(vec![all_traffic("0.0.0.0/0")]), Status::Fail);
    }

    #[test]
    fn protocols_without_ports_are_not_graded() {
        let icmp = IpPermission {
            protocol: "icmp".into(),
            from_port: Some(-1),
            to_port: Some(-1),
            ipv4_ranges: vec!["0.0.0.0/0".into()],
            ..IpPermission::default()
        };
        assert_eq!(status(vec![icmp]), Status::Pass);
    }

    #[test]
    fn authorized_ports_come_from_the_config() {
        let region = one_group(vec![
            tcp(8443, 8443, "0.0.0.0/0"),
            tcp(443, 443, "0.0.0.0/0"),
        ]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region.clone()), "sg-x"),
            Status::Fail
        );
        let widened = Config {
            authorized_ports: vec![443, 8443],
            ..Config::default()
        };
        assert_eq!(
            status_of(&evaluate_with(&CHECK, region.clone(), &widened), "sg-x"),
            Status::Pass
        );
        let narrowed = Config {
            authorized_ports: vec![8443],
            ..Config::default()
        };
        let findings = evaluate_with(&CHECK, region, &narrowed);
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("tcp 443"), "{}", finding.message);
    }

    #[test]
    fn unresolved_prefix_list_on_unauthorized_port_is_manual() {
        assert_eq!(
            status(vec![tcp_prefix_list(9000, 9000, "pl-absent")]),
            Status::Manual
        );
        assert_eq!(
            status(vec![tcp_prefix_list(443, 443, "pl-absent")]),
            Status::Pass
        );
    }

    #[test]
    fn error_when_security_groups_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(ec2_failure("DescribeSecurityGroups"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
    }

    #[test]
    fn range_subtraction_edges() {
        assert_eq!(unauthorized_ranges(80, 80, &[80]), vec![]);
        assert_eq!(unauthorized_ranges(0, 65535, &[0, 65535]), vec![(1, 65534)]);
        assert_eq!(
            unauthorized_ranges(79, 81, &[443, 80, 80]),
            vec![(79, 79), (81, 81)]
        );
    }
}
