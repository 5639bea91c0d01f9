//! ec2-instance-required-tags: every instance and volume carries the configured tags.

use std::collections::BTreeMap;

use serde_json::json;

use super::{grade_instances, grade_volumes, INSTANCE_TYPE, VOLUME_TYPE};
use crate::catalog::{Check, CheckMeta, Context, Remediation, Verdict};
use crate::finding::{BaaRule, Finding, Severity};

/// The check: every tag key in config `required_tags` is present, with a value, on each
/// non-terminated instance and each volume.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "ec2-instance-required-tags",
    title: "EC2 instances and EBS volumes carry the required tags",
    severity: Severity::Low,
    hipaa: &["164.308(a)(1)(ii)(A)"],
    baa: BaaRule::EligibleServices,
    resource_types: &[INSTANCE_TYPE, VOLUME_TYPE],
    requirement: "A risk analysis needs an inventory of where PHI lives and who answers for it; \
        tags are how an AWS account keeps that inventory (seed 003 deploys the REQUIRED_TAGS \
        Config rule for instances and volumes). Every instance (terminated ones excepted) and \
        every volume must carry each tag key in config required_tags (default Owner, DataClass) \
        with a non-empty value. Keys are case-sensitive, as in AWS. With an empty required_tags \
        list the check does not apply.",
    evidence: &["ec2:DescribeInstances Tags, State.Name", "ec2:DescribeVolumes Tags"],
    remediation: Remediation {
        summary: "Tag the resource with every required tag (default Owner and DataClass).",
        console: "EC2 > Instances (or Elastic Block Store > Volumes) > select the resource > Tags > \
            Manage tags > add Owner and DataClass with values > Save. At launch, tag instances \
            and volumes together under Resource tags.",
        cli: "aws ec2 create-tags --resources <id> --tags Key=Owner,Value=<team> Key=DataClass,Value=<PHI|internal|public>\n\
              aws configservice put-config-rule --config-rule '{\"ConfigRuleName\":\"required-tags\",\
              \"Source\":{\"Owner\":\"AWS\",\"SourceIdentifier\":\"REQUIRED_TAGS\"},\
              \"Scope\":{\"ComplianceResourceTypes\":[\"AWS::EC2::Instance\",\"AWS::EC2::Volume\"]},\
              \"InputParameters\":\"{\\\"tag1Key\\\":\\\"Owner\\\",\\\"tag2Key\\\":\\\"DataClass\\\"}\"}'",
        cloudformation: "AWS::EC2::Instance / AWS::EC2::Volume: Tags: [{Key: Owner, Value: <team>}, \
            {Key: DataClass, Value: <class>}] (instance root volumes: PropagateTagsToVolumeOnCreation: true)",
    },
    seeds: &["seed 003"],
    source_file: file!(),
};

/// The required keys a resource lacks, and those it carries with a blank value.
fn gaps<'r>(
    required: &'r [String],
    tags: &BTreeMap<String, String>,
) -> (Vec<&'r str>, Vec<&'r str>) {
    let mut missing = Vec::new();
    let mut empty = Vec::new();
    for key in required {
        match tags.get(key) {
            None => missing.push(key.as_str()),
            Some(value) if value.trim().is_empty() => empty.push(key.as_str()),
            Some(_) => {}
        }
    }
    (missing, empty)
}

fn grade(required: &[String], subject: &str, tags: &BTreeMap<String, String>) -> Verdict {
    let evidence = json!({ "Tags": tags, "RequiredTags": required });
    if required.is_empty() {
        return Verdict::not_applicable(
            format!(
                "no tags are required (config required_tags is empty), so {subject} is not graded"
            ),
            evidence,
        );
    }
    let (missing, empty) = gaps(required, tags);
    if missing.is_empty() && empty.is_empty() {
        return Verdict::pass(
            format!(
                "{subject} carries every required tag ({})",
                required.join(", ")
            ),
            evidence,
        );
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("lacks {}", missing.join(", ")));
    }
    if !empty.is_empty() {
        problems.push(format!("has an empty value for {}", empty.join(", ")));
    }
    Verdict::fail(
        format!("{subject} {}; tag it", problems.join(" and ")),
        evidence,
    )
}

fn run(ctx: &Context) -> Vec<Finding> {
    let required = &ctx.config.required_tags;
    let mut findings = grade_instances(ctx, &META, |instance| {
        grade(
            required,
            &format!("instance {}", instance.id),
            &instance.tags,
        )
    });
    findings.extend(grade_volumes(ctx, &META, |volume| {
        grade(required, &format!("volume {}", volume.id), &volume.tags)
    }));
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixtures::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::snapshot::{Instance, Source, Volume};

    #[test]
    fn pass_when_every_tag_present() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), 2);
        let instance = finding_for(&findings, "i-app");
        assert_eq!(instance.status, Status::Pass);
        assert_eq!(instance.resource_type, INSTANCE_TYPE);
        assert_eq!(
            instance.resource_arn.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:instance/i-app")
        );
        let volume = finding_for(&findings, "vol-app");
        assert_eq!(volume.status, Status::Pass);
        assert_eq!(volume.resource_type, VOLUME_TYPE);
    }

    #[test]
    fn fail_names_missing_and_empty_tags() {
        let mut region = compliant_region();
        region.ec2.instances = Source::Collected(vec![Instance {
            tags: tags(&[("Name", "web")]),
            ..instance("i-bare")
        }]);
        region.ec2.volumes = Source::Collected(vec![Volume {
            tags: tags(&[("Owner", " "), ("DataClass", "PHI")]),
            ..volume("vol-blank")
        }]);
        let findings = evaluate(&CHECK, region);
        let bare = finding_for(&findings, "i-bare");
        assert_eq!(bare.status, Status::Fail);
        assert!(
            bare.message.contains("lacks Owner, DataClass"),
            "{}",
            bare.message
        );
        let blank = finding_for(&findings, "vol-blank");
        assert_eq!(blank.status, Status::Fail);
        assert!(
            blank.message.contains("empty value for Owner"),
            "{}",
            blank.message
        );
        assert!(!blank.message.contains("DataClass"), "{}", blank.message);
    }

    #[test]
    fn keys_are_case_sensitive() {
        let mut region = compliant_region();
        region.ec2.instances = Source::Collected(vec![Instance {
            tags: tags(&[("owner", "x"), ("DataClass", "PHI")]),
            ..instance("i-lower")
        }]);
        let finding = evaluate(&CHECK, region)
            .into_iter()
            .find(|f| f.resource_id == "i-lower");
        assert_eq!(finding.map(|f| f.status), Some(Status::Fail));
    }

    #[test]
    fn config_list_is_honoured() {
        let mut region = compliant_region();
        region.ec2.instances = Source::Collected(vec![Instance {
            tags: tags(&[("CostCenter", "42")]),
            ..instance("i-cc")
        }]);
        // Default list (Owner, DataClass): the instance fails.
        assert_eq!(
            status_of(&evaluate(&CHECK, region.clone()), "i-cc"),
            Status::Fail
        );
        // Only CostCenter required: it passes, and the fully tagged volume now fails.
        let config = Config {
            required_tags: vec!["CostCenter".into()],
            ..Config::default()
        };
        let findings = evaluate_with(&CHECK, region, &config);
        assert_eq!(status_of(&findings, "i-cc"), Status::Pass);
        let volume = finding_for(&findings, "vol-app");
        assert_eq!(volume.status, Status::Fail);
        assert!(volume.message.contains("CostCenter"), "{}", volume.message);
    }

    #[test]
    fn not_applicable_when_nothing_required() {
        let config = Config {
            required_tags: vec![],
            ..Config::default()
        };
        let findings = evaluate_with(&CHECK, compliant_region(), &config);
        assert_eq!(findings.len(), 2);
        assert!(findings.iter().all(|f| f.status == Status::NotApplicable));
    }

    #[test]
    fn terminated_instances_are_skipped() {
        let mut region = compliant_region();
        region.ec2.instances = Source::Collected(vec![
            Instance {
                state: "terminated".into(),
                tags: tags(&[]),
                ..instance("i-gone")
            },
            Instance {
                state: "stopped".into(),
                tags: tags(&[]),
                ..instance("i-stopped")
            },
        ]);
        let findings = evaluate(&CHECK, region);
        assert!(findings.iter().all(|f| f.resource_id != "i-gone"));
        assert_eq!(status_of(&findings, "i-stopped"), Status::Fail);
    }

    #[test]
    fn errors_when_lists_unreadable() {
        let mut region = compliant_region();
        region.ec2.instances = Source::Failed(failure("DescribeInstances"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, REGION), Status::Error);
        assert_eq!(status_of(&findings, "vol-app"), Status::Pass);

        let mut region = compliant_region();
        region.ec2.volumes = Source::Failed(failure("DescribeVolumes"));
        let findings = evaluate(&CHECK, region);
        assert_eq!(status_of(&findings, REGION), Status::Error);
        assert_eq!(status_of(&findings, "i-app"), Status::Pass);
    }
}
