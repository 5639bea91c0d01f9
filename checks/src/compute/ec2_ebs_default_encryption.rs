//! ec2-ebs-default-encryption: every region in scope encrypts new EBS volumes by default.

use serde_json::json;

use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::Source;

/// The check: GetEbsEncryptionByDefault is true in every region.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-ebs-default-encryption",
    title: "EBS encryption by default is on",
    severity: Severity::Medium,
    hipaa: &["164.312(a)(2)(iv)"],
    baa: BaaRule::EncryptAtRest,
    resource_types: &["AWS::::Region"],
    requirement: "The BAA requires PHI to be encrypted at rest (seed 002). With EBS encryption by \
        default on, every new volume and snapshot copy in the region is encrypted even when \
        whoever creates it forgets to ask, so an unencrypted volume cannot appear. The setting \
        is per region: each region in scope is graded.",
    evidence: &["ec2:GetEbsEncryptionByDefault EbsEncryptionByDefault"],
    remediation: Remediation {
        summary: "Turn on EBS encryption by default in every region.",
        console: "EC2 > (choose the region) > Dashboard > Account attributes > Data protection and \
            security > EBS encryption > Manage > Enable; optionally pick a customer-managed KMS key > \
            Update EBS encryption.",
        cli: "aws ec2 enable-ebs-encryption-by-default --region <id>\n\
              aws ec2 modify-ebs-default-kms-key-id --kms-key-id <key-arn> --region <id>",
        cloudformation: "No CloudFormation resource sets it: enable it per region with the CLI (or a \
            custom resource), and deploy AWS Config managed rule EC2_EBS_ENCRYPTION_BY_DEFAULT to \
            catch drift.",
    },
    seeds: &["seed 002"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    ctx.snapshot
        .regions
        .iter()
        .map(|(region_name, region)| {
            let verdict = match &region.ec2.ebs_encryption_by_default {
                Source::Collected(true) => Verdict::pass(
                    format!("EBS encryption by default is on in {region_name}"),
                    json!({ "EbsEncryptionByDefault": true }),
                ),
                Source::Collected(false) => Verdict::fail(
                    format!(
                        "EBS encryption by default is off in {region_name}; new volumes there \
                         can be created unencrypted"
                    ),
                    json!({ "EbsEncryptionByDefault": false }),
                ),
                Source::Failed(failure) => {
                    Verdict::error("the EBS encryption-by-default setting", failure)
                }
            };
            META.finding(ctx, region_name, &Resource::region(region_name), verdict)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixtures::*;
    use crate::finding::Status;

    #[test]
    fn pass_when_on() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 1);
        let finding = finding_for(&findings, REGION);
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::::Region");
        assert_eq!(finding.region, REGION);
    }

    #[test]
    fn fail_when_off() {
        let mut region = compliant_region();
        region.ec2.ebs_encryption_by_default = Source::Collected(false);
        let finding = evaluate(&CHECK, region).remove(0);
        assert_eq!(finding.status, Status::Fail);
        assert_eq!(finding.evidence["EbsEncryptionByDefault"], false);
    }

    #[test]
    fn error_when_unreadable() {
        let mut region = compliant_region();
        region.ec2.ebs_encryption_by_default = Source::Failed(failure("GetEbsEncryptionByDefault"));
        let finding = evaluate(&CHECK, region).remove(0);
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("GetEbsEncryptionByDefault"),
            "{}",
            finding.message
        );
    }
}
