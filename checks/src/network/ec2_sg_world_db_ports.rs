//! ec2-sg-world-db-ports: no security group opens a database port to the internet.

use super::{grade_world_ingress, tcp_ports_exposed, DB_PORTS, SECURITY_GROUP_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: no 0.0.0.0/0 or ::/0 ingress to TCP 1433, 1521, 3306, 5432, 5439, 6379, 27017 or
/// 9200.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-sg-world-db-ports",
    title: "Security groups do not open database ports to the internet",
    severity: Severity::Critical,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[SECURITY_GROUP_TYPE],
    requirement: "No security group may admit 0.0.0.0/0 or ::/0 to a database or data-store \
        port: TCP 1433 (SQL Server), 1521 (Oracle), 3306 (MySQL/MariaDB/Aurora MySQL), 5432 \
        (PostgreSQL), 5439 (Redshift), 6379 (Redis), 27017 (MongoDB/DocumentDB) or 9200 \
        (Elasticsearch/OpenSearch), whether through a rule for the port, a port range that \
        contains it, or an all-traffic rule. Data tiers holding PHI sit in private subnets and \
        admit only the application tier's security group (seed 004). A managed prefix list \
        holding 0.0.0.0/0 or ::/0 counts as the world; one whose entries could not be read makes \
        the finding manual.",
    evidence: &[
        "ec2:DescribeSecurityGroups IpPermissions",
        "ec2:GetManagedPrefixListEntries",
    ],
    remediation: Remediation {
        summary: "Remove internet-wide ingress to database ports; admit only the application tier's security group.",
        console: "VPC > Security groups > select the group > Inbound rules > Edit inbound rules > \
            delete the rules whose source is 0.0.0.0/0 or ::/0 and that cover the database port \
            (including all-traffic and wide port-range rules) > add a rule for the port whose \
            source is the application's security group > Save rules.",
        cli: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --security-group-rule-ids <sgr-id>\n\
              aws ec2 authorize-security-group-ingress --group-id <id> --protocol tcp --port <port> --source-group <app-sg>",
        cloudformation: "AWS::EC2::SecurityGroupIngress: SourceSecurityGroupId: !Ref AppSecurityGroup \
            (no CidrIp 0.0.0.0/0 / CidrIpv6 ::/0 covering a database port)",
    },
    seeds: &["seed 002", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_world_ingress(ctx, &META, "database ports", &|traffic| {
        tcp_ports_exposed(traffic, DB_PORTS)
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
    fn pass_for_compliant_groups() {
        let findings = evaluate(&CHECK, compliant_region());
        assert!(findings.iter().all(|f| f.status == Status::Pass));
        // Admin ports are another check's business.
        assert_eq!(status(vec![tcp(22, 22, "0.0.0.0/0")]), Status::Pass);
    }

    #[test]
    fn fail_on_every_listed_port_from_either_family() {
        for port in DB_PORTS {
            let port = i32::from(*port);
            assert_eq!(status(vec![tcp(port, port, "0.0.0.0/0")]), Status::Fail);
            assert_eq!(status(vec![tcp6(port, port, "::/0")]), Status::Fail);
        }
    }

    #[test]
    fn fail_on_range_containing_a_db_port_naming_it() {
        let findings = evaluate(&CHECK, one_group(vec![tcp(3000, 4000, "0.0.0.0/0")]));
        let finding = finding_for(&findings, "sg-x");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("3306"), "{}", finding.message);
        assert!(!finding.message.contains("5432"), "{}", finding.message);
    }

    #[test]
    fn fail_on_all_traffic_and_protocol_6() {
        assert_eq!(status(vec![all_traffic("0.0.0.0/0")]), Status::Fail);
        let mut permission = tcp(5432, 5432, "0.0.0.0/0");
        permission.protocol = "6".into();
        assert_eq!(status(vec![permission]), Status::Fail);
    }

    #[test]
    fn private_cidr_passes_and_unresolved_prefix_list_is_manual() {
        assert_eq!(status(vec![tcp(3306, 3306, "10.0.0.0/8")]), Status::Pass);
        assert_eq!(
            status(vec![tcp_prefix_list(6379, 6379, "pl-absent")]),
            Status::Manual
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
    }
}
