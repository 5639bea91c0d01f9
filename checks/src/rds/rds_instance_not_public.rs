//! rds-instance-not-public: no DB instance is reachable from the internet by design.

use serde_json::json;

use super::{grade_instances, INSTANCE_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: PubliclyAccessible = false.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "rds-instance-not-public",
    title: "DB instance is not publicly accessible",
    severity: Severity::High,
    hipaa: &["164.312(a)(1)"],
    baa: BaaRule::AccessControl,
    resource_types: &[INSTANCE_TYPE],
    requirement: "A publicly accessible instance gets a public DNS name and IP: only its security \
        group stands between PHI and the internet. Databases holding PHI belong in private \
        subnets reached through the application tier or a bastion (seed 004).",
    evidence: &["rds:DescribeDBInstances PubliclyAccessible"],
    remediation: Remediation {
        summary: "Turn off public accessibility.",
        console: "RDS > Databases > select the instance > Modify > Connectivity > Additional configuration > Not publicly accessible > Apply immediately.",
        cli: "aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately",
        cloudformation: "AWS::RDS::DBInstance: PubliclyAccessible: false",
    },
    seeds: &["seed 002", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    grade_instances(ctx, &META, |instance, _| {
        let evidence = json!({ "PubliclyAccessible": instance.publicly_accessible });
        if instance.publicly_accessible {
            Verdict::fail(
                format!(
                    "instance {} is publicly accessible; make it private",
                    instance.id
                ),
                evidence,
            )
        } else {
            Verdict::pass(
                format!("instance {} is not publicly accessible", instance.id),
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
    use crate::snapshot::{DbInstance, Source};

    #[test]
    fn pass_and_fail_for_members_and_standalone() {
        let mut region = compliant_region();
        region.rds.instances = Source::Collected(vec![
            member_instance("member", "pg-main"),
            DbInstance {
                publicly_accessible: true,
                ..standalone_instance("exposed")
            },
        ]);
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, "member"), Status::Pass);
        assert_eq!(status_of(&findings, "exposed"), Status::Fail);
    }

    #[test]
    fn error_when_instances_unreadable() {
        let mut region = compliant_region();
        region.rds.instances = Source::Failed(failure("DescribeDBInstances"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
    }
}
