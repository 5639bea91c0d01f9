//! config-rules-compliant: every deployed AWS Config rule reports its resources compliant.

use serde_json::json;

use super::CONFIG_RULE_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::{ConfigRule, ConfigRuleCompliance};

/// The check: one finding per deployed rule (region-level when the region cannot be graded).
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "config-rules-compliant",
    title: "Deployed AWS Config rules report no non-compliant resources",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(8)"],
    baa: BaaRule::AuditLogging,
    resource_types: &[CONFIG_RULE_TYPE, "AWS::::Region"],
    requirement: "Periodic evaluation (164.308(a)(8)) means acting on what the monitoring \
        finds (seed 004: a Config rule only notifies; someone must remove the offending \
        setting). Each deployed rule's compliance from DescribeComplianceByConfigRule is \
        graded: NON_COMPLIANT fails (with the number of non-compliant resources), COMPLIANT \
        passes, NOT_APPLICABLE is not applicable, and INSUFFICIENT_DATA or no result yet \
        needs a person to look. When the compliance API is unavailable the region is an error, \
        never a pass.",
    evidence: &[
        "config:DescribeConfigRules",
        "config:DescribeComplianceByConfigRule Compliance.ComplianceType, ComplianceContributorCount",
    ],
    remediation: Remediation {
        summary: "Fix (or, with a documented reason, exclude) the resources the rule reports as \
            non-compliant, then re-evaluate the rule.",
        console: "AWS Config > Rules > select the rule > Resources in scope: filter Noncompliant \
            > fix each resource (or attach a remediation action under Actions > Manage \
            remediation) > Actions > Re-evaluate.",
        cli: "aws configservice get-compliance-details-by-config-rule --config-rule-name <id> \
              --compliance-types NON_COMPLIANT\n\
              aws configservice start-config-rules-evaluation --config-rule-names <id>",
        cloudformation: "AWS::Config::RemediationConfiguration for the rule (automatic \
            remediation with an SSM document), and fix the non-compliant resources' templates",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

fn run(ctx: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (region_name, region) in &ctx.snapshot.regions {
        let config = &region.config_service;
        let region_finding =
            |verdict| META.finding(ctx, region_name, &Resource::region(region_name), verdict);
        let rules = match config.rules.get() {
            Ok(rules) => rules,
            Err(failure) => {
                findings.push(region_finding(Verdict::error(
                    "the region's Config rules (config:DescribeConfigRules)",
                    failure,
                )));
                continue;
            }
        };
        if rules.is_empty() {
            findings.push(region_finding(Verdict::not_applicable(
                "no Config rules are deployed in the region, so there is no compliance to grade \
                 (see config-required-rules)",
                json!({ "rules": [] }),
            )));
            continue;
        }
        let compliance = match config.compliance.get() {
            Ok(compliance) => compliance,
            Err(failure) => {
                findings.push(region_finding(Verdict::error(
                    "the rules' compliance (config:DescribeComplianceByConfigRule)",
                    failure,
                )));
                continue;
            }
        };
        let mut sorted: Vec<&ConfigRule> = rules.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for rule in sorted {
            let result = compliance.iter().find(|c| c.rule_name == rule.name);
            findings.push(META.finding(
                ctx,
                region_name,
                &Resource::new(CONFIG_RULE_TYPE, &rule.name, &rule.arn),
                grade(rule, result),
            ));
        }
    }
    findings
}

fn grade(rule: &ConfigRule, result: Option<&ConfigRuleCompliance>) -> Verdict {
    let evidence = json!({
        "rule": rule.name,
        "owner": rule.owner,
        "source_identifier": rule.source_identifier,
        "compliance_type": result.map(|r| r.compliance_type.as_str()),
        "non_compliant_resources": result.and_then(|r| r.non_compliant_resources),
    });
    let Some(result) = result else {
        return Verdict::manual(
            format!(
                "rule {} has no compliance result yet; check its evaluations in the AWS Config \
                 console (Rules > {})",
                rule.name, rule.name
            ),
            evidence,
        );
    };
    match result.compliance_type.trim().to_ascii_uppercase().as_str() {
        "COMPLIANT" => Verdict::pass(format!("rule {} reports every resource compliant", rule.name), evidence),
        "NON_COMPLIANT" => {
            let count = match result.non_compliant_resources {
                // The API caps the count at 100.
                Some(n) if n >= 100 => format!("{n} or more non-compliant resources"),
                Some(1) => "1 non-compliant resource".to_owned(),
                Some(n) => format!("{n} non-compliant resources"),
                None => "non-compliant resources".to_owned(),
            };
            Verdict::fail(format!("rule {} reports {count}", rule.name), evidence)
        }
        "NOT_APPLICABLE" => Verdict::not_applicable(
            format!("rule {} applies to no resource in the region", rule.name),
            evidence,
        ),
        "INSUFFICIENT_DATA" => Verdict::manual(
            format!(
                "rule {} has insufficient data (not yet evaluated, or its resources are not \
                 recorded); check the rule's evaluations and the recorder",
                rule.name
            ),
            evidence,
        ),
        other => Verdict::manual(
            format!("rule {} reports an unrecognized compliance type {other}; check it in the AWS Config console", rule.name),
            evidence,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::{RegionSnapshot, Source};

    fn compliance(rule: &str, kind: &str, count: Option<i32>) -> ConfigRuleCompliance {
        ConfigRuleCompliance {
            rule_name: rule.into(),
            compliance_type: kind.into(),
            non_compliant_resources: count,
        }
    }

    fn region_with(compliance: Vec<ConfigRuleCompliance>) -> RegionSnapshot {
        let mut region = compliant_region();
        region.config_service.compliance = Source::Collected(compliance);
        region
    }

    #[test]
    fn one_finding_per_rule() {
        let findings = evaluate(&CHECK, compliant_region());
        assert_eq!(findings.len(), required_rules().len());
        assert!(findings.iter().all(|f| f.status == Status::Pass));
        let first = finding_for(&findings, "hipaa-cloud-trail-enabled");
        assert_eq!(first.resource_type, CONFIG_RULE_TYPE);
        assert!(first.resource_arn.is_some());
    }

    #[test]
    fn each_compliance_type_maps_to_a_status() {
        let findings = evaluate(
            &CHECK,
            region_with(vec![
                compliance("hipaa-required-tags", "NON_COMPLIANT", Some(3)),
                compliance("hipaa-incoming-ssh-disabled", "COMPLIANT", None),
                compliance("hipaa-restricted-incoming-traffic", "NOT_APPLICABLE", None),
                compliance("hipaa-approved-amis-by-id", "INSUFFICIENT_DATA", None),
                compliance("hipaa-cloud-trail-enabled", "NON_COMPLIANT", Some(100)),
                compliance("hipaa-rds-storage-encrypted", "SOMETHING_NEW", None),
                // hipaa-vpc-flow-logs-enabled has no result at all.
            ]),
        );
        let tags = finding_for(&findings, "hipaa-required-tags");
        assert_eq!(tags.status, Status::Fail);
        assert!(
            tags.message.contains("3 non-compliant resources"),
            "{}",
            tags.message
        );
        assert_eq!(
            status_of(&findings, "hipaa-incoming-ssh-disabled"),
            Status::Pass
        );
        assert_eq!(
            status_of(&findings, "hipaa-restricted-incoming-traffic"),
            Status::NotApplicable
        );
        assert_eq!(
            status_of(&findings, "hipaa-approved-amis-by-id"),
            Status::Manual
        );
        let capped = finding_for(&findings, "hipaa-cloud-trail-enabled");
        assert!(capped.message.contains("100 or more"), "{}", capped.message);
        assert_eq!(
            status_of(&findings, "hipaa-rds-storage-encrypted"),
            Status::Manual
        );
        let absent = finding_for(&findings, "hipaa-vpc-flow-logs-enabled");
        assert_eq!(absent.status, Status::Manual);
        assert!(
            absent.message.contains("no compliance result"),
            "{}",
            absent.message
        );
    }

    #[test]
    fn compliance_api_missing_is_one_region_error() {
        // moto has no DescribeComplianceByConfigRule.
        let mut region = compliant_region();
        region.config_service.compliance =
            Source::Failed(failure("config", "DescribeComplianceByConfigRule"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.resource_id, REGION);
        assert!(
            finding.message.contains("DescribeComplianceByConfigRule"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn rules_unreadable_is_an_error() {
        let mut region = compliant_region();
        region.config_service.rules = Source::Failed(failure("config", "DescribeConfigRules"));
        assert_eq!(only_finding(evaluate(&CHECK, region)).status, Status::Error);
    }

    #[test]
    fn no_rules_is_not_applicable_even_without_compliance() {
        let mut region = compliant_region();
        region.config_service.rules = Source::Collected(vec![]);
        region.config_service.compliance =
            Source::Failed(failure("config", "DescribeComplianceByConfigRule"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::NotApplicable);
        assert!(
            finding.message.contains("config-required-rules"),
            "{}",
            finding.message
        );
    }
}
