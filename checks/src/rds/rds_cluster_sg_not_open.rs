//! rds-cluster-sg-not-open: no attached security group admits the world to the database port.

use serde_json::json;

use super::{db_port_rules, grade_targets, is_world, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: no 0.0.0.0/0 or ::/0 ingress to the DB port (or all ports) on attached SGs.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-sg-not-open",
    title: "Database security groups are not open to the world",
    severity: Severity::High,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "No security group attached to the database may admit 0.0.0.0/0 or ::/0 on \
        the database port, through a port range that contains it, or through an all-traffic \
        rule. A rule whose source is a managed prefix list cannot be resolved here: manual.",
    evidence: &["rds:DescribeDBClusters VpcSecurityGroups, Port", "ec2:DescribeSecurityGroups IpPermissions"],
    remediation: Remediation {
        summary: "Remove world-open ingress to the database port; admit only the application's security group.",
        console: "EC2 > Security Groups > the group > Inbound rules > Edit > delete the 0.0.0.0/0 and ::/0 rules for the DB port > add a rule whose source is the application's security group.",
        cli: "aws ec2 revoke-security-group-ingress --group-id <sg> --protocol tcp --port <port> --cidr 0.0.0.0/0\n\
              aws ec2 authorize-security-group-ingress --group-id <sg> --protocol tcp --port <port> --source-group <app-sg>",
        cloudformation: "AWS::EC2::SecurityGroupIngress: SourceSecurityGroupId: !Ref AppSecurityGroup (no CidrIp 0.0.0.0/0)",
    },
    seeds: &["seed 001", "seed 002", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, region| {
        let rules = match db_port_rules(target, region) {
            Ok(rules) => rules,
            Err(verdict) => return verdict,
        };
        let subject = format!("{} {}", target.noun(), target.id);
        let open: Vec<_> = rules
            .iter()
            .filter(|r| r.permission.ipv4_ranges.iter().chain(&r.permission.ipv6_ranges).any(|c| is_world(c)))
            .map(|r| json!({ "SecurityGroupId": r.group_id, "IpProtocol": r.permission.protocol, "FromPort": r.permission.from_port, "ToPort": r.permission.to_port }))
            .collect();
        let prefix_lists: Vec<&str> = rules
            .iter()
            .flat_map(|r| r.permission.prefix_list_ids.iter().map(String::as_str))
            .collect();
        let evidence = json!({ "Port": target.port, "SecurityGroups": target.security_group_ids, "WorldOpenRules": open, "PrefixLists": prefix_lists });
        let port = target
            .port
            .map_or_else(|| "any port".to_owned(), |p| format!("port {p}"));
        if !open.is_empty() {
            let groups: Vec<&str> = rules
                .iter()
                .filter(|r| {
                    r.permission
                        .ipv4_ranges
                        .iter()
                        .chain(&r.permission.ipv6_ranges)
                        .any(|c| is_world(c))
                })
                .map(|r| r.group_id)
                .collect();
            Verdict::fail(
                format!(
                    "{subject} admits the whole internet on {port} through {}",
                    groups.join(", ")
                ),
                evidence,
            )
        } else if !prefix_lists.is_empty() {
            Verdict::manual(
                format!("{subject} admits prefix list(s) {} on {port}; confirm they hold no 0.0.0.0/0 or ::/0", prefix_lists.join(", ")),
                evidence,
            )
        } else {
            Verdict::pass(
                format!("{subject}: no attached security group admits the world on {port}"),
                evidence,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::rds::fixtures::*;
    use crate::snapshot::{DbCluster, IpPermission, SecurityGroup, Source};

    fn with_rule(permission: IpPermission) -> crate::snapshot::RegionSnapshot {
        let mut region = with_clusters(
            compliant_region(),
            vec![DbCluster {
                vpc_security_group_ids: vec!["sg-x".into()],
                ..pg_cluster("db")
            }],
        );
        region.ec2.security_groups = Source::Collected(vec![SecurityGroup {
            id: "sg-x".into(),
            ingress: vec![permission],
            ..SecurityGroup::default()
        }]);
        region
    }

    fn tcp(from: i32, to: i32, cidr: &str) -> IpPermission {
        IpPermission {
            protocol: "tcp".into(),
            from_port: Some(from),
            to_port: Some(to),
            ipv4_ranges: vec![cidr.into()],
            ..IpPermission::default()
        }
    }

    #[test]
    fn pass_when_only_groups_admitted() {
        assert_eq!(
            status_of(&evaluate(&CHECK, compliant_region()), "pg-main"),
            Status::Pass
        );
        // World-open on another port does not matter to this check.
        assert_eq!(
            status_of(
                &evaluate(&CHECK, with_rule(tcp(443, 443, "0.0.0.0/0"))),
                "db"
            ),
            Status::Pass
        );
    }

    #[test]
    fn fail_on_world_port_range_all_traffic_and_ipv6() {
        for permission in [
            tcp(5432, 5432, "0.0.0.0/0"),
            tcp(0, 65535, "0.0.0.0/0"),
            tcp(5000, 6000, "0.0.0.0/0"),
            IpPermission {
                protocol: "-1".into(),
                ipv4_ranges: vec!["0.0.0.0/0".into()],
                ..IpPermission::default()
            },
            IpPermission {
                protocol: "tcp".into(),
                from_port: Some(5432),
                to_port: Some(5432),
                ipv6_ranges: vec!["::/0".into()],
                ..IpPermission::default()
            },
        ] {
            let finding =
                finding_for(&evaluate(&CHECK, with_rule(permission.clone())), "db").clone();
            assert_eq!(finding.status, Status::Fail, "{permission:?}");
            assert!(finding.message.contains("sg-x"));
        }
    }

    #[test]
    fn private_cidr_is_not_world_and_prefix_list_is_manual() {
        assert_eq!(
            status_of(
                &evaluate(&CHECK, with_rule(tcp(5432, 5432, "10.0.0.0/8"))),
                "db"
            ),
            Status::Pass
        );
        let prefix = IpPermission {
            protocol: "tcp".into(),
            from_port: Some(5432),
            to_port: Some(5432),
            prefix_list_ids: vec!["pl-1".into()],
            ..IpPermission::default()
        };
        assert_eq!(
            status_of(&evaluate(&CHECK, with_rule(prefix)), "db"),
            Status::Manual
        );
    }

    #[test]
    fn error_when_groups_unreadable_or_missing() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(failure("DescribeSecurityGroups"));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Error
        );
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Collected(vec![]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Error
        );
    }
}
