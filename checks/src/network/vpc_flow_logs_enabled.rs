//! vpc-flow-logs-enabled: every VPC has an active flow log.

use serde_json::json;

use super::{ec2_resource, listed, VPC_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: a flow log with ResourceId = the VPC and FlowLogStatus = ACTIVE.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "vpc-flow-logs-enabled",
    title: "Every VPC has an active flow log",
    severity: Severity::Medium,
    hipaa: &["164.312(b)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[VPC_TYPE],
    requirement: "Every VPC must have a flow log attached to the VPC itself (ResourceId = the \
        VPC id) whose status is ACTIVE, so the IP traffic to and from every network interface in \
        it is recorded for audit and incident investigation (seed 002: network monitoring and \
        audit with VPC Flow Logs; AWS Config managed rule VPC_FLOW_LOGS_ENABLED, seed 003). \
        Flow logs on individual subnets or interfaces do not count.",
    evidence: &["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    remediation: Remediation {
        summary: "Create a flow log for the VPC capturing ALL traffic to CloudWatch Logs or S3.",
        console: "VPC > Your VPCs > select the VPC > Flow logs tab > Create flow log > Filter: All; \
            Destination: CloudWatch Logs (log group and IAM role) or an S3 bucket > Create flow log.",
        cli: "aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL \
              --log-destination-type cloud-watch-logs --log-group-name <log-group> \
              --deliver-logs-permission-arn <role-arn>",
        cloudformation: "AWS::EC2::FlowLog: ResourceType: VPC, ResourceId: !Ref Vpc, TrafficType: ALL, \
            LogDestinationType: cloud-watch-logs (LogGroupName, DeliverLogsPermissionArn)",
    },
    seeds: &["seed 002", "seed 003"],
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
        for vpc in vpcs {
            let resource = ec2_resource(ctx, region_name, VPC_TYPE, "vpc", &vpc.id);
            let verdict = match &region.ec2.flow_logs {
                Source::Failed(failure) => {
                    Verdict::error(&format!("the flow logs (needed for {})", vpc.id), failure)
                }
                Source::Collected(logs) => {
                    let own: Vec<_> = logs.iter().filter(|l| l.resource_id == vpc.id).collect();
                    let evidence = json!({
                        "VpcId": vpc.id,
                        "FlowLogs": own.iter().map(|l| json!({
                            "FlowLogId": l.id,
                            "FlowLogStatus": l.status,
                            "TrafficType": l.traffic_type,
                            "DeliverLogsStatus": l.deliver_logs_status,
                        })).collect::<Vec<_>>(),
                    });
                    let active: Vec<&str> = own
                        .iter()
                        .filter(|l| l.status.trim().eq_ignore_ascii_case("ACTIVE"))
                        .map(|l| l.id.as_str())
                        .collect();
                    if !active.is_empty() {
                        Verdict::pass(
                            format!("{} has active flow log(s) {}", vpc.id, active.join(", ")),
                            evidence,
                        )
                    } else if own.is_empty() {
                        Verdict::fail(format!("{} has no flow log; create one", vpc.id), evidence)
                    } else {
                        let states: Vec<String> = own
                            .iter()
                            .map(|l| format!("{} is {}", l.id, l.status))
                            .collect();
                        Verdict::fail(
                            format!("{} has no active flow log ({})", vpc.id, states.join(", ")),
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
    use crate::snapshot::FlowLog;

    #[test]
    fn pass_when_every_vpc_has_an_active_flow_log() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 2);
        let finding = finding_for(&findings, "vpc-app");
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::EC2::VPC");
        assert_eq!(
            finding.resource_arn.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:vpc/vpc-app")
        );
        assert_eq!(status_of(&findings, "vpc-default"), Status::Pass);
    }

    #[test]
    fn fail_without_flow_log() {
        let mut region = compliant_region();
        region.ec2.flow_logs = Source::Collected(vec![flow_log("fl-app", "vpc-app")]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "vpc-app"), Status::Pass);
        assert_eq!(status_of(&findings, "vpc-default"), Status::Fail);
    }

    #[test]
    fn fail_when_flow_log_is_not_active() {
        let mut region = compliant_region();
        region.ec2.flow_logs = Source::Collected(vec![
            FlowLog {
                status: "INACTIVE".into(),
                ..flow_log("fl-app", "vpc-app")
            },
            flow_log("fl-default", "vpc-default"),
        ]);
        let findings = evaluate(&CHECK, region);
        let finding = finding_for(&findings, "vpc-app");
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.message.contains("fl-app"), "{}", finding.message);
    }

    #[test]
    fn subnet_flow_log_does_not_count() {
        let mut region = compliant_region();
        region.ec2.flow_logs = Source::Collected(vec![
            flow_log("fl-subnet", "subnet-web"),
            flow_log("fl-default", "vpc-default"),
        ]);
        assert_eq!(
            status_of(&evaluate(&CHECK, region), "vpc-app"),
            Status::Fail
        );
    }

    #[test]
    fn error_per_vpc_when_flow_logs_unreadable() {
        let mut region = compliant_region();
        region.ec2.flow_logs = Source::Failed(ec2_failure("DescribeFlowLogs"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.status == Status::Error));
        assert!(findings[0].message.contains("DescribeFlowLogs"));
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
