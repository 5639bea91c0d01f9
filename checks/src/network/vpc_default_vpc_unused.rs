//! vpc-default-vpc-unused: the default VPC holds no workloads.

use serde_json::json;

use super::{ec2_resource, listed, VPC_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: the default VPC has no network interfaces.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "vpc-default-vpc-unused",
    title: "The default VPC holds no workloads",
    severity: Severity::Medium,
    hipaa: &["164.312(e)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[VPC_TYPE],
    requirement: "Workloads handling PHI belong in purpose-built VPCs whose subnets, routes, \
        NACLs and security groups were designed for them; the default VPC gives every subnet a \
        route to the internet and public IPs by default (seed 002: using the default VPC for \
        HIPAA workloads is not recommended). The default VPC of each region must therefore \
        hold no network interfaces (any instance, database, load balancer, Lambda in a VPC or \
        endpoint has one). Non-default VPCs are not graded; a region without a default VPC \
        yields no finding.",
    evidence: &[
        "ec2:DescribeVpcs IsDefault",
        "ec2:DescribeNetworkInterfaces VpcId",
    ],
    remediation: Remediation {
        summary:
            "Move the workloads into a custom VPC, then delete the default VPC (or leave it empty).",
        console:
            "EC2 > Network Interfaces > filter VPC ID = the default VPC to find what uses it; \
            recreate those resources in a custom VPC; then VPC > Your VPCs > the default VPC > \
            Actions > Delete VPC.",
        cli: "aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=<vpc-id> \
              --query 'NetworkInterfaces[].[NetworkInterfaceId,InterfaceType,Description]'\n\
              aws ec2 delete-vpc --vpc-id <vpc-id>",
        cloudformation: "Deploy workloads into an AWS::EC2::VPC defined by the template (subnets \
            referenced through SubnetId / DBSubnetGroupName), never the default VPC.",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let Some(vpcs) = listed(
            ctx,
            &META,
            region_name,
            &region.ec2.vpcs,
            "the VPC list",
            &mut findings,
        ) else {
            continue;
        };
        for vpc in vpcs.iter().filter(|v| v.is_default) {
            let resource = ec2_resource(ctx, region_name, VPC_TYPE, "vpc", &vpc.id);
            let verdict = match &region.ec2.network_interfaces_per_vpc {
                Source::Failed(failure) => Verdict::error(
                    &format!("the network interfaces (needed for default VPC {})", vpc.id),
                    failure,
                ),
                Source::Collected(counts) => {
                    // The collector records a count for the default VPC; no entry means the
                    // count is missing, which must never read as "empty".
                    let Some(count) = counts.get(&vpc.id).copied() else {
                        findings.push(META.finding(
                            ctx,
                            region_name,
                            &resource,
                            Verdict::missing(
                                format!(
                                    "no network interface count was collected for default VPC {}",
                                    vpc.id
                                ),
                                json!({ "VpcId": vpc.id }),
                            ),
                        ));
                        continue;
                    };
                    let evidence =
                        json!({ "VpcId": vpc.id, "IsDefault": true, "NetworkInterfaces": count });
                    if count == 0 {
                        Verdict::pass(
                            format!("default VPC {} has no network interfaces", vpc.id),
                            evidence,
                        )
                    } else {
                        Verdict::fail(
                            format!(
                                "default VPC {} holds {count} network interface(s); move the \
                                 workloads to a custom VPC",
                                vpc.id
                            ),
                            evidence,
                        )
                    }
                }
            };
            findings.push(META.finding(ctx, region_name, &resource, verdict));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::network::fixtures::*;
    use std::collections::BTreeMap;

    #[test]
    fn pass_when_default_vpc_is_empty_and_custom_vpcs_are_not_graded() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let finding = finding_for(&findings, "vpc-default");
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::EC2::VPC");
    }

    #[test]
    fn error_never_pass_when_default_vpc_is_absent_from_the_counts() {
        let mut region = compliant_region();
        region.ec2.network_interfaces_per_vpc =
            Source::Collected(BTreeMap::from([("vpc-app".to_owned(), 3)]));
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "vpc-default"),
            Status::Error
        );
    }

    #[test]
    fn fail_when_default_vpc_has_interfaces() {
        let mut region = compliant_region();
        region.ec2.network_interfaces_per_vpc =
            Source::Collected(BTreeMap::from([("vpc-default".to_owned(), 2)]));
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "vpc-default");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains('2'), "{}", finding.message);
    }

    #[test]
    fn no_finding_without_a_default_vpc() {
        let mut region = compliant_region();
        if let Source::Collected(vpcs) = &mut region.ec2.vpcs {
            vpcs.retain(|v| !v.is_default);
        }
        assert!(evaluate(&CHECK, region).is_empty());
    }

    #[test]
    fn error_when_interfaces_unreadable() {
        let mut region = compliant_region();
        region.ec2.network_interfaces_per_vpc =
            Source::Failed(ec2_failure("DescribeNetworkInterfaces"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].resource_id, "vpc-default");
        assert_eq!(findings[0].status, Status::Error);
    }

    #[test]
    fn region_error_when_vpcs_unreadable() {
        let mut region = compliant_region();
        region.ec2.vpcs = Source::Failed(ec2_failure("DescribeVpcs"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
        assert_eq!(findings[0].resource_type, "AWS::::Region");
    }
}
