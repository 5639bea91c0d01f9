//! ec2-default-sg-closed: every VPC's default security group has no inbound or outbound rules.

use serde_json::json;

use super::{ec2_resource, listed, security_group_resource, SECURITY_GROUP_TYPE, VPC_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{IpPermission, SecurityGroup};

/// The check: the `default` group of every VPC has empty ingress and egress.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-default-sg-closed",
    title: "Default security groups have no rules",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[SECURITY_GROUP_TYPE, VPC_TYPE],
    requirement: "Every VPC's default security group (group name `default`) must have no inbound \
        and no outbound rules. Resources launched without an explicit group land in it, and its \
        stock rules admit every member to every other and let all traffic out; an empty default \
        group forces every workload onto a purpose-built group (seeds 002, 004: segment the \
        network with security groups). A VPC whose default group is missing from \
        DescribeSecurityGroups is an error, not a pass; so is a region whose VPC list cannot be \
        read (its listed default groups are still graded).",
    evidence: &["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
    remediation: Remediation {
        summary: "Delete every inbound and outbound rule of the default security group; move workloads to dedicated groups first.",
        console: "VPC > Security groups > filter Group name = default > for each VPC's default group: \
            Inbound rules > Edit inbound rules > Delete all > Save; Outbound rules > Edit outbound \
            rules > Delete all > Save. Reassign any resource still using it to a dedicated group first.",
        cli: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id>\n\
              aws ec2 revoke-security-group-ingress --group-id <id> --security-group-rule-ids <sgr-id>\n\
              aws ec2 revoke-security-group-egress --group-id <id> --security-group-rule-ids <sgr-id>",
        cloudformation: "The default group is not a template resource: revoke its rules with a custom \
            resource or AWS Config remediation (managed rule VPC_DEFAULT_SECURITY_GROUP_CLOSED).",
    },
    seeds: &["seed 002", "seed 004"],
    source_file: file!(),
};

fn describe_rules(direction: &str, rules: &[IpPermission]) -> Option<String> {
    if rules.is_empty() {
        return None;
    }
    let peers: Vec<String> = rules
        .iter()
        .flat_map(|r| {
            r.ipv4_ranges
                .iter()
                .chain(&r.ipv6_ranges)
                .chain(&r.prefix_list_ids)
                .chain(&r.source_group_ids)
                .cloned()
        })
        .collect();
    Some(format!(
        "{} {direction} rule(s){}",
        rules.len(),
        if peers.is_empty() {
            String::new()
        } else {
            format!(" ({})", peers.join(", "))
        }
    ))
}

fn grade(group: &SecurityGroup) -> Verdict {
    let vpc = group.vpc_id.as_deref().unwrap_or("?");
    let evidence = json!({
        "GroupId": group.id,
        "VpcId": group.vpc_id,
        "IngressRules": group.ingress.len(),
        "EgressRules": group.egress.len(),
    });
    let problems: Vec<String> = [
        describe_rules("inbound", &group.ingress),
        describe_rules("outbound", &group.egress),
    ]
    .into_iter()
    .flatten()
    .collect();
    if problems.is_empty() {
        Verdict::pass(
            format!("default security group {} of {vpc} has no rules", group.id),
            evidence,
        )
    } else {
        Verdict::fail(
            format!(
                "default security group {} of {vpc} has {}; remove them",
                group.id,
                problems.join(" and ")
            ),
            evidence,
        )
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let Some(groups) = listed(
            ctx,
            &META,
            region_name,
            &region.ec2.security_groups,
            "the security group list",
            &mut findings,
        ) else {
            continue;
        };
        let defaults: Vec<&SecurityGroup> = groups
            .iter()
            .filter(|g| g.name == "default" && g.vpc_id.is_some())
            .collect();
        for group in &defaults {
            findings.push(META.finding(
                ctx,
                region_name,
                &security_group_resource(ctx, region_name, group),
                grade(group),
            ));
        }
        // Every VPC has a default group; one that is not listed is a blind spot, not a pass.
        // Without the VPC list the groups listed above are still graded, and the region gets an
        // error finding for the VPCs whose default group could not be confirmed (the security
        // group list was read, so no other region error exists for this region).
        if let Some(vpcs) = listed(
            ctx,
            &META,
            region_name,
            &region.ec2.vpcs,
            "the VPC list (needed to confirm that every VPC's default security group was graded)",
            &mut findings,
        ) {
            for vpc in vpcs {
                if !defaults
                    .iter()
                    .any(|g| g.vpc_id.as_deref() == Some(&vpc.id))
                {
                    findings.push(META.finding(
                        ctx,
                        region_name,
                        &ec2_resource(ctx, region_name, VPC_TYPE, "vpc", &vpc.id),
                        Verdict::missing(
                            format!(
                                "the default security group of {} was not returned by \
                                 DescribeSecurityGroups",
                                vpc.id
                            ),
                            json!({ "VpcId": vpc.id }),
                        ),
                    ));
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::network::fixtures::*;
    use crate::snapshot::{IpPermission, Source};

    fn with_default(group: SecurityGroup) -> crate::snapshot::RegionSnapshot {
        let mut region = compliant_region();
        if let Source::Collected(groups) = &mut region.ec2.security_groups {
            groups.retain(|g| g.id != group.id);
            groups.push(group);
        }
        region
    }

    #[test]
    fn pass_when_every_default_group_is_empty() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 2, "{findings:#?}");
        assert_eq!(status_of(&findings, "sg-default-app"), Status::Pass);
        assert_eq!(status_of(&findings, "sg-default-default"), Status::Pass);
        assert_eq!(
            finding_for(&findings, "sg-default-app").resource_type,
            "AWS::EC2::SecurityGroup"
        );
    }

    #[test]
    fn fail_on_stock_self_referencing_ingress() {
        let group = SecurityGroup {
            ingress: vec![IpPermission {
                protocol: "-1".into(),
                source_group_ids: vec!["sg-default-app".into()],
                ..IpPermission::default()
            }],
            ..closed_default_group("sg-default-app", "vpc-app")
        };
        let findings = evaluate(&CHECK, with_default(group));
        let finding = finding_for(&findings, "sg-default-app");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("inbound"), "{}", finding.message);
    }

    #[test]
    fn fail_on_egress_only() {
        let group = SecurityGroup {
            egress: vec![all_traffic("0.0.0.0/0")],
            ..closed_default_group("sg-default-default", "vpc-default")
        };
        let findings = evaluate(&CHECK, with_default(group));
        let finding = finding_for(&findings, "sg-default-default");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("outbound"), "{}", finding.message);
        assert!(!finding.message.contains("inbound"), "{}", finding.message);
    }

    #[test]
    fn custom_groups_are_not_graded() {
        let findings = evaluate(&CHECK, compliant_region());
        assert!(findings.iter().all(|f| f.resource_id != "sg-web"));
    }

    #[test]
    fn error_when_groups_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(ec2_failure("DescribeSecurityGroups"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_type, "AWS::::Region");
    }

    #[test]
    fn region_error_when_vpcs_unreadable_but_listed_groups_still_graded() {
        let mut region = compliant_region();
        region.ec2.vpcs = Source::Failed(ec2_failure("DescribeVpcs"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 3, "{findings:#?}");
        assert_eq!(status_of(&findings, "sg-default-app"), Status::Pass);
        assert_eq!(status_of(&findings, "sg-default-default"), Status::Pass);
        let region_findings: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.resource_type == "AWS::::Region")
            .collect();
        assert_eq!(region_findings.len(), 1, "{findings:#?}");
        assert_eq!(region_findings[0].status, Status::Error);
        assert!(
            region_findings[0].message.contains("DescribeVpcs"),
            "{}",
            region_findings[0].message
        );
    }

    #[test]
    fn one_region_error_when_groups_and_vpcs_unreadable() {
        let mut region = compliant_region();
        region.ec2.security_groups = Source::Failed(ec2_failure("DescribeSecurityGroups"));
        region.ec2.vpcs = Source::Failed(ec2_failure("DescribeVpcs"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].resource_type, "AWS::::Region");
        assert!(
            findings[0].message.contains("DescribeSecurityGroups"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn error_when_a_vpc_has_no_listed_default_group() {
        let mut region = compliant_region();
        if let Source::Collected(groups) = &mut region.ec2.security_groups {
            groups.retain(|g| g.id != "sg-default-default");
        }
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "vpc-default"), Status::Error);
        assert_eq!(status_of(&findings, "sg-default-app"), Status::Pass);
    }
}
