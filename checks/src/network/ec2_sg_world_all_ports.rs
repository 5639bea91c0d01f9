//! ec2-sg-world-all-ports: no security group opens every port or protocol to the internet.

use super::{grade_world_ingress, Traffic, SECURITY_GROUP_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: no world-open all-traffic rule or TCP/UDP rule over the whole port range.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-sg-world-all-ports",
    title: "Security groups do not open all ports to the internet",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[SECURITY_GROUP_TYPE],
    requirement: "No security group may admit 0.0.0.0/0 or ::/0 to every protocol (IpProtocol \
        -1, all traffic) or to the whole TCP or UDP port range (0-65535; 1-65535 counts too). \
        Such a rule turns the group into no firewall at all for whatever it protects (seeds 002, \
        003: no unrestricted ports on security groups). A managed prefix list holding 0.0.0.0/0 \
        or ::/0 counts as the world; one whose entries could not be read makes the finding \
        manual.",
    evidence: &[
        "ec2:DescribeSecurityGroups IpPermissions",
        "ec2:GetManagedPrefixListEntries",
    ],
    remediation: Remediation {
        summary: "Replace all-traffic / all-port world rules with rules for the specific ports the service needs.",
        console: "VPC > Security groups > select the group > Inbound rules > Edit inbound rules > \
            delete the 'All traffic' or 0-65535 rule whose source is 0.0.0.0/0 or ::/0 > add rules \
            for the specific ports and sources required > Save rules.",
        cli: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --ip-permissions 'IpProtocol=-1,Ipv6Ranges=[{CidrIpv6=::/0}]'",
        cloudformation: "AWS::EC2::SecurityGroup SecurityGroupIngress: no entry with IpProtocol -1 \
            (or FromPort 0 / ToPort 65535) and CidrIp 0.0.0.0/0 or CidrIpv6 ::/0",
    },
    seeds: &["seed 002", "seed 003"],
    source_file: file!(),
};

/// What a world-open rule exposes that this check cares about: everything, or nothing.
fn all_ports(traffic: Traffic) -> Vec<String> {
    match traffic {
        Traffic::All => vec!["every protocol and port".to_owned()],
        Traffic::Ports { protocol, from, to } if from <= 1 && to == u16::MAX => {
            vec![format!("every {} port", protocol.as_str())]
        }
        _ => Vec::new(),
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    grade_world_ingress(ctx, &META, "all ports", &all_ports)
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn pass_for_specific_ports() {
        let findings = evaluate(&CHECK, compliant_region());
        assert!(findings.iter().all(|f| f.status == Status::Pass));
        assert_eq!(status(vec![tcp(22, 22, "0.0.0.0/0")]), Status::Pass);
        assert_eq!(status(vec![tcp(1024, 65535, "0.0.0.0/0")]), Status::Pass);
    }

    #[test]
    fn fail_on_all_traffic_from_either_family() {
        let findings = evaluate(&CHECK, one_group(vec![all_traffic("0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("all traffic"),
            "{}",
            finding.message
        );
        let v6 = IpPermission {
            protocol: "-1".into(),
            ipv6_ranges: vec!["::/0".into()],
            ..IpPermission::default()
        };
        assert_eq!(status(vec![v6]), Status::Fail);
    }

    #[test]
    fn fail_on_full_tcp_or_udp_range() {
        assert_eq!(status(vec![tcp(0, 65535, "0.0.0.0/0")]), Status::Fail);
        assert_eq!(status(vec![tcp(1, 65535, "0.0.0.0/0")]), Status::Fail);
        assert_eq!(status(vec![udp(0, 65535, "0.0.0.0/0")]), Status::Fail);
        let mut numbered = tcp(0, 65535, "0.0.0.0/0");
        numbered.protocol = "6".into();
        assert_eq!(status(vec![numbered]), Status::Fail);
    }

    #[test]
    fn private_source_passes() {
        assert_eq!(status(vec![all_traffic("10.0.0.0/8")]), Status::Pass);
    }

    #[test]
    fn prefix_lists_world_fails_unresolved_is_manual() {
        let mut region = one_group(vec![IpPermission {
            protocol: "-1".into(),
            prefix_list_ids: vec!["pl-1".into()],
            ..IpPermission::default()
        }]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region.clone()), "sg-x"),
            Status::Manual
        );
        region
            .ec2
            .prefix_lists
            .insert("pl-1".into(), Source::Collected(vec!["::/0".into()]));
        assert_eq!(status_of(&evaluate(&CHECK, region), "sg-x"), Status::Fail);
    }

    #[test]
    fn error_when_security_groups_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(ec2_failure("DescribeSecurityGroups"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
    }
}
