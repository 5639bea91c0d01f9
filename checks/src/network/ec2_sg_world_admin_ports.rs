//! ec2-sg-world-admin-ports: no security group opens SSH (22) or RDP (3389) to the internet.

use super::{grade_world_ingress, tcp_ports_exposed, ADMIN_PORTS, SECURITY_GROUP_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: no 0.0.0.0/0 or ::/0 ingress to TCP 22 or 3389.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-sg-world-admin-ports",
    title: "Security groups do not open SSH or RDP to the internet",
    severity: Severity::Critical,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[SECURITY_GROUP_TYPE],
    requirement: "No security group may admit 0.0.0.0/0 or ::/0 to TCP 22 (SSH) or 3389 (RDP), \
        whether through a rule for the port, a port range that contains it, or an all-traffic \
        rule. Remote administration of systems holding PHI belongs behind a bastion host, a VPN \
        or Session Manager (seeds 003, 004; the AWS HIPAA Quick Start alerts on port 22 opened \
        to the world). A rule whose source is a managed prefix list counts as world-open when \
        the list holds 0.0.0.0/0 or ::/0; when the list's entries could not be read the finding \
        is manual.",
    evidence: &[
        "ec2:DescribeSecurityGroups IpPermissions",
        "ec2:GetManagedPrefixListEntries",
    ],
    remediation: Remediation {
        summary: "Remove internet-wide ingress to 22/3389; administer through Session Manager, a VPN or a bastion restricted to known addresses.",
        console: "VPC > Security groups > select the group > Inbound rules > Edit inbound rules > \
            delete every rule covering SSH (22) or RDP (3389) whose source is 0.0.0.0/0, ::/0 or a \
            prefix list holding them (including all-traffic and wide port-range rules) > Save rules.",
        cli: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --security-group-rule-ids <sgr-id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --protocol tcp --port 22 --cidr 0.0.0.0/0",
        cloudformation: "AWS::EC2::SecurityGroup SecurityGroupIngress: no entry with CidrIp 0.0.0.0/0 \
            or CidrIpv6 ::/0 whose FromPort..ToPort covers 22 or 3389 (nor IpProtocol -1)",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_world_ingress(ctx, &META, "the admin ports (22, 3389)", &|traffic| {
        tcp_ports_exposed(traffic, ADMIN_PORTS)
    })
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
    fn pass_for_compliant_groups_with_arn() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 4);
        assert!(findings.iter().all(|f| f.status == Status::Pass));
        let web = finding_for(&findings, "sg-web");
        assert_eq!(web.resource_type, "AWS::EC2::SecurityGroup");
        assert_eq!(
            web.resource_arn.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:security-group/sg-web")
        );
    }

    #[test]
    fn fail_on_ipv4_world_ssh_and_rdp() {
        let findings = evaluate(&CHECK, one_group(vec![tcp(22, 22, "0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("22"), "{}", finding.message);
        assert!(finding.message.contains("0.0.0.0/0"), "{}", finding.message);
        assert_eq!(status(vec![tcp(3389, 3389, "0.0.0.0/0")]), Status::Fail);
    }

    #[test]
    fn fail_on_ipv6_world() {
        let findings = evaluate(&CHECK, one_group(vec![tcp6(3389, 3389, "::/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("::/0"), "{}", finding.message);
    }

    #[test]
    fn fail_on_all_traffic_rule() {
        assert_eq!(status(vec![all_traffic("0.0.0.0/0")]), Status::Fail);
    }

    #[test]
    fn fail_on_protocol_number_6() {
        let mut permission = tcp(22, 22, "0.0.0.0/0");
        permission.protocol = "6".into();
        assert_eq!(status(vec![permission]), Status::Fail);
    }

    #[test]
    fn fail_on_port_ranges_containing_the_port() {
        assert_eq!(status(vec![tcp(0, 65535, "0.0.0.0/0")]), Status::Fail);
        let findings = evaluate(&CHECK, one_group(vec![tcp(3000, 4000, "0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("3389"), "{}", finding.message);
        assert!(
            finding.message.contains("tcp 3000-4000"),
            "{}",
            finding.message
        );
        // A range that stops short of the port does not count.
        assert_eq!(status(vec![tcp(23, 3388, "0.0.0.0/0")]), Status::Pass);
    }

    #[test]
    fn private_cidr_is_not_the_world() {
        assert_eq!(status(vec![tcp(22, 22, "10.0.0.0/8")]), Status::Pass);
        assert_eq!(status(vec![all_traffic("10.0.0.0/8")]), Status::Pass);
    }

    #[test]
    fn udp_and_other_ports_are_out_of_scope() {
        assert_eq!(status(vec![udp(22, 22, "0.0.0.0/0")]), Status::Pass);
        assert_eq!(status(vec![tcp(443, 443, "0.0.0.0/0")]), Status::Pass);
    }

    #[test]
    fn prefix_list_holding_the_world_fails() {
        let mut region = one_group(vec![tcp_prefix_list(22, 22, "pl-open")]);
        region.ec2.prefix_lists.insert(
            "pl-open".into(),
            Source::Collected(vec!["203.0.113.0/24".into(), "0.0.0.0/0".into()]),
        );
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("pl-open"), "{}", finding.message);
    }

    #[test]
    fn prefix_list_of_private_ranges_passes() {
        let mut region = one_group(vec![tcp_prefix_list(22, 22, "pl-office")]);
        region.ec2.prefix_lists.insert(
            "pl-office".into(),
            Source::Collected(vec!["203.0.113.0/24".into()]),
        );
        assert_eq!(status_of(&evaluate(&CHECK, region), "sg-x"), Status::Pass);
    }

    #[test]
    fn unreadable_prefix_list_is_manual_naming_it() {
        let mut region = one_group(vec![tcp_prefix_list(22, 22, "pl-failed")]);
        region.ec2.prefix_lists.insert(
            "pl-failed".into(),
            Source::Failed(ec2_failure("GetManagedPrefixListEntries")),
        );
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Manual);
        assert!(finding.message.contains("pl-failed"), "{}", finding.message);
    }

    #[test]
    fn uncollected_prefix_list_is_manual_naming_it() {
        let findings = evaluate(
            &CHECK,
            one_group(vec![tcp_prefix_list(3389, 3389, "pl-absent")]),
        );
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Manual);
        assert!(finding.message.contains("pl-absent"), "{}", finding.message);
    }

    #[test]
    fn unresolved_prefix_list_off_the_port_is_irrelevant() {
        assert_eq!(
            status(vec![tcp_prefix_list(443, 443, "pl-absent")]),
            Status::Pass
        );
    }

    #[test]
    fn world_rule_fails_even_beside_unresolved_prefix_list() {
        assert_eq!(
            status(vec![
                tcp_prefix_list(22, 22, "pl-absent"),
                tcp(3389, 3389, "0.0.0.0/0"),
            ]),
            Status::Fail
        );
    }

    #[test]
    fn error_when_security_groups_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(ec2_failure("DescribeSecurityGroups"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_type, "AWS::::Region");
        assert!(findings[0].message.contains("DescribeSecurityGroups"));
    }
}
