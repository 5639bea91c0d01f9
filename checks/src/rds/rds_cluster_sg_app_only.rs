//! rds-cluster-sg-app-only: the database port is admitted only from other security groups.

use serde_json::json;

use super::{db_port_rules, grade_targets, CLUSTER_TYPE, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: every rule reaching the DB port has only security-group sources, no CIDRs.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-cluster-sg-app-only",
    title: "Database port admits only application security groups",
    severity: Severity::Low,
    hipaa: &["164.308(a)(4)(ii)(B)"],
    baa: BaaRule::AccessControl,
    resource_types: &[CLUSTER_TYPE, INSTANCE_TYPE],
    requirement: "Access authorization: admitting the database port from security groups ties \
        access to the application tier that needs it; CIDR ranges (even private ones) and prefix \
        lists admit whatever lands in those addresses (seed 001: open only to the applications \
        and clients that need it).",
    evidence: &["ec2:DescribeSecurityGroups IpPermissions"],
    remediation: Remediation {
        summary: "Replace CIDR sources on the database port with the application's security group.",
        console: "EC2 > Security Groups > the database's group > Inbound rules > Edit > replace CIDR sources on the DB port with the application security group.",
        cli: "aws ec2 authorize-security-group-ingress --group-id <sg> --protocol tcp --port <port> --source-group <app-sg>\n\
              aws ec2 revoke-security-group-ingress --group-id <sg> --protocol tcp --port <port> --cidr <cidr>",
        cloudformation: "AWS::EC2::SecurityGroupIngress: SourceSecurityGroupId: !Ref AppSecurityGroup",
    },
    seeds: &["seed 001", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_targets(ctx, &META, |target, region| {
        let rules = match db_port_rules(target, region) {
            Ok(rules) => rules,
            Err(verdict) => return verdict,
        };
        let subject = format!("{} {}", target.noun(), target.id);
        let cidr_sources: Vec<String> = rules
            .iter()
            .flat_map(|r| {
                let p = r.permission;
                p.ipv4_ranges
                    .iter()
                    .chain(&p.ipv6_ranges)
                    .chain(&p.prefix_list_ids)
                    .map(move |s| format!("{} from {s}", r.group_id))
            })
            .collect();
        let group_sources: Vec<&str> = rules
            .iter()
            .flat_map(|r| r.permission.source_group_ids.iter().map(String::as_str))
            .collect();
        let evidence = json!({ "Port": target.port, "SecurityGroups": target.security_group_ids, "CidrSources": cidr_sources, "GroupSources": group_sources });
        if cidr_sources.is_empty() {
            Verdict::pass(
                format!("{subject} admits its port only from security groups"),
                evidence,
            )
        } else {
            Verdict::fail(
                format!(
                    "{subject} admits its port from address ranges: {}",
                    cidr_sources.join(", ")
                ),
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
    use crate::snapshot::{IpPermission, SecurityGroup, Source};

    #[test]
    fn pass_with_group_sources() {
        assert_eq!(
            status_of(&evaluate(&CHECK, compliant_region()), "pg-main"),
            Status::Pass
        );
    }

    #[test]
    fn fail_with_private_cidr_source() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Collected(vec![SecurityGroup {
            id: "sg-app-db".into(),
            ingress: vec![IpPermission {
                protocol: "tcp".into(),
                from_port: Some(5432),
                to_port: Some(5432),
                ipv4_ranges: vec!["10.0.0.0/16".into()],
                ..IpPermission::default()
            }],
            ..SecurityGroup::default()
        }]);
        let finding = finding_for(&evaluate(&CHECK, region), "pg-main").clone();
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.severity, Severity::Low);
        assert!(finding.message.contains("10.0.0.0/16"));
    }

    #[test]
    fn error_when_groups_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(failure("DescribeSecurityGroups"));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "pg-main"),
            Status::Error
        );
    }
}
