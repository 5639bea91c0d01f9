//! config-required-rules: the AWS managed Config rules named in the config file
//! (`required_config_rules`) are deployed in every scanned region.

use serde_json::json;

use super::CONFIG_RULE_TYPE;
use crate::catalog::{Check, CheckMeta, Context, Remediation, Resource, Verdict};
use crate::finding::{BaaRule, Finding, Severity};
use crate::snapshot::ConfigRule;

/// The check: one finding per scanned region.
pub const CHECK: Check = Check { meta: META, run };

const META: CheckMeta = CheckMeta {
    id: "config-required-rules",
    title: "The required AWS Config managed rules are deployed",
    severity: Severity::Medium,
    hipaa: &["164.308(a)(1)(ii)(D)"],
    baa: BaaRule::AuditLogging,
    resource_types: &["AWS::::Region", CONFIG_RULE_TYPE],
    requirement: "Config rules are the ongoing review of the environment (seed 003: each rule \
        breach notifies someone; seed 004: the Quick Start's rule on port 22). Every managed \
        rule identifier in the config file's required_config_rules (default: REQUIRED_TAGS, \
        INCOMING_SSH_DISABLED, RESTRICTED_INCOMING_TRAFFIC, APPROVED_AMIS_BY_ID, \
        CLOUD_TRAIL_ENABLED, RDS_STORAGE_ENCRYPTED, VPC_FLOW_LOGS_ENABLED) must be deployed in \
        each scanned region as an AWS managed rule (Source.Owner AWS) whose SourceIdentifier is \
        that identifier, in state ACTIVE or EVALUATING. The rule's name does not matter: a \
        custom rule named after the identifier does not count.",
    evidence: &["config:DescribeConfigRules Source.Owner, Source.SourceIdentifier, ConfigRuleState"],
    remediation: Remediation {
        summary: "Deploy the missing AWS managed Config rules in the region (a conformance pack \
            such as 'Operational Best Practices for HIPAA Security' deploys them together).",
        console: "AWS Config > Rules > Add rule > AWS managed rule: search for the identifier \
            (for example cloudtrail-enabled for CLOUD_TRAIL_ENABLED) > Next > set the parameters \
            (REQUIRED_TAGS: tag keys; APPROVED_AMIS_BY_ID: AMI ids) > Save. Repeat in every \
            region in scope.",
        cli: "aws configservice put-config-rule --config-rule \
              '{\"ConfigRuleName\":\"cloudtrail-enabled\",\"Source\":{\"Owner\":\"AWS\",\"SourceIdentifier\":\"CLOUD_TRAIL_ENABLED\"}}'\n\
              (repeat per missing identifier; rules with parameters also need \
              \"InputParameters\":\"{\\\"tag1Key\\\":\\\"Owner\\\"}\")",
        cloudformation: "AWS::Config::ConfigRule: Source: {Owner: AWS, SourceIdentifier: \
            CLOUD_TRAIL_ENABLED} (one per identifier), or AWS::Config::ConformancePack",
    },
    seeds: &["seed 003", "seed 004"],
    source_file: file!(),
};

/// Rule states that count as deployed: ACTIVE or EVALUATING (an active rule running an
/// evaluation). AWS always reports the state; a rule without one is not proven deployed.
fn deployed_state(state: Option<&str>) -> bool {
    state.is_some_and(|s| s.eq_ignore_ascii_case("ACTIVE") || s.eq_ignore_ascii_case("EVALUATING"))
}

/// True when `rule` is the AWS managed rule `identifier`, deployed.
fn implements(rule: &ConfigRule, identifier: &str) -> bool {
    rule.owner.eq_ignore_ascii_case("AWS")
        && rule
            .source_identifier
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case(identifier.trim()))
        && deployed_state(rule.state.as_deref())
}

/// Why a rule that looks like `identifier` does not count, if it does look like it: same
/// identifier but not AWS-owned or not active, or named after the identifier.
fn near_miss(rule: &ConfigRule, identifier: &str) -> Option<String> {
    let same_identifier = rule
        .source_identifier
        .as_deref()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(identifier.trim()));
    let normalize = |s: &str| s.trim().to_ascii_lowercase().replace('-', "_");
    let named_like = normalize(&rule.name) == normalize(identifier);
    if same_identifier && !rule.owner.eq_ignore_ascii_case("AWS") {
        Some(format!(
            "rule {} has owner {}, not AWS",
            rule.name, rule.owner
        ))
    } else if same_identifier && !deployed_state(rule.state.as_deref()) {
        Some(format!(
            "rule {} is {}",
            rule.name,
            rule.state.as_deref().unwrap_or("not active")
        ))
    } else if named_like && !same_identifier {
        Some(format!(
            "rule {} is named like it but is {} rule {}",
            rule.name,
            rule.owner,
            rule.source_identifier
                .as_deref()
                .unwrap_or("(no identifier)")
        ))
    } else {
        None
    }
}

fn run(ctx: &Context) -> Vec<Finding> {
    let required = &ctx.config.required_config_rules;
    ctx.snapshot
        .regions
        .iter()
        .map(|(name, region)| {
            let resource = Resource::region(name);
            let verdict = match region.config_service.rules.get() {
                Err(failure) => Verdict::error(
                    "the region's Config rules (config:DescribeConfigRules)",
                    failure,
                ),
                Ok(_) if required.is_empty() => Verdict::not_applicable(
                    "the config file requires no Config rules (required_config_rules is empty)",
                    json!({ "required": [] }),
                ),
                Ok(rules) => grade_region(required, rules),
            };
            META.finding(ctx, name, &resource, verdict)
        })
        .collect()
}

fn grade_region(required: &[String], rules: &[ConfigRule]) -> Verdict {
    let mut deployed = Vec::new();
    let mut missing = Vec::new();
    let mut near_misses = Vec::new();
    for identifier in required {
        let mut found: Vec<&str> = rules
            .iter()
            .filter(|r| implements(r, identifier))
            .map(|r| r.name.as_str())
            .collect();
        found.sort();
        if let Some(first) = found.first() {
            deployed.push(json!({ "identifier": identifier, "rules": found, "first": first }));
        } else {
            missing.push(identifier.as_str());
            let mut misses: Vec<String> = rules
                .iter()
                .filter_map(|r| near_miss(r, identifier))
                .collect();
            misses.sort();
            near_misses.extend(misses);
        }
    }
    let evidence = json!({
        "required": required,
        "deployed": deployed,
        "missing": missing,
        "near_misses": near_misses,
        "rules": rules.iter().map(|r| json!({
            "name": r.name,
            "owner": r.owner,
            "source_identifier": r.source_identifier,
            "state": r.state,
        })).collect::<Vec<_>>(),
    });
    if missing.is_empty() {
        return Verdict::pass(
            format!(
                "all {} required managed rules are deployed ({})",
                required.len(),
                required.join(", ")
            ),
            evidence,
        );
    }
    let mut message = format!(
        "{} of {} required managed rules are not deployed: {}",
        missing.len(),
        required.len(),
        missing.join(", ")
    );
    if !near_misses.is_empty() {
        message.push_str(&format!(" (not counted: {})", near_misses.join("; ")));
    }
    Verdict::fail(message, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::finding::Status;
    use crate::logging::fixtures::*;
    use crate::snapshot::Source;

    fn with_rules(rules: Vec<ConfigRule>) -> crate::snapshot::RegionSnapshot {
        let mut region = compliant_region();
        region.config_service.rules = Source::Collected(rules);
        region
    }

    fn without(identifier: &str) -> Vec<ConfigRule> {
        required_rules()
            .into_iter()
            .filter(|r| r.source_identifier.as_deref() != Some(identifier))
            .collect()
    }

    #[test]
    fn all_required_rules_deployed_passes() {
        let finding = only_finding(evaluate(&CHECK, compliant_region()));
        assert_eq!(finding.status, Status::Pass);
        assert_eq!(finding.resource_type, "AWS::::Region");
        assert_eq!(finding.resource_id, REGION);
    }

    #[test]
    fn missing_rules_are_listed() {
        let mut rules = without("CLOUD_TRAIL_ENABLED");
        rules.retain(|r| r.source_identifier.as_deref() != Some("REQUIRED_TAGS"));
        let finding = only_finding(evaluate(&CHECK, with_rules(rules)));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("2 of 7")
                && finding
                    .message
                    .contains("REQUIRED_TAGS, CLOUD_TRAIL_ENABLED"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn a_custom_rule_named_like_the_identifier_does_not_count() {
        let mut rules = without("CLOUD_TRAIL_ENABLED");
        rules.push(ConfigRule {
            name: "cloud-trail-enabled".into(),
            arn: "arn:aws:config:us-east-1:111122223333:config-rule/custom".into(),
            owner: "CUSTOM_LAMBDA".into(),
            source_identifier: Some("arn:aws:lambda:us-east-1:111122223333:function:check".into()),
            state: Some("ACTIVE".into()),
        });
        let finding = only_finding(evaluate(&CHECK, with_rules(rules)));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("CLOUD_TRAIL_ENABLED"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .message
                .contains("cloud-trail-enabled is named like it"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn any_rule_name_counts_when_the_identifier_matches() {
        // The fixture's rules are named hipaa-*, not after the identifiers.
        let mut rules = required_rules();
        rules[0].name = "whatever-we-like".into();
        assert_eq!(
            only_finding(evaluate(&CHECK, with_rules(rules))).status,
            Status::Pass
        );
    }

    #[test]
    fn wrong_owner_or_deleting_state_does_not_count() {
        let mut rules = required_rules();
        rules[0].owner = "CUSTOM_POLICY".into();
        rules[1].state = Some("DELETING".into());
        rules[2].state = None;
        rules[3].state = Some("EVALUATING".into());
        let finding = only_finding(evaluate(&CHECK, with_rules(rules)));
        assert_eq!(finding.status, Status::Fail);
        // No reported state is not proof of a deployed rule.
        assert!(finding.message.contains("3 of 7"), "{}", finding.message);
        assert!(
            finding.message.contains("owner CUSTOM_POLICY"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("is DELETING"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn the_config_file_decides_what_is_required() {
        let config = Config {
            required_config_rules: vec!["S3_BUCKET_LOGGING_ENABLED".into()],
            ..Config::default()
        };
        let snapshot = snapshot_of(vec![(REGION, compliant_region())], compliant_global());
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &config));
        assert_eq!(finding.status, Status::Fail);
        assert!(
            finding.message.contains("S3_BUCKET_LOGGING_ENABLED"),
            "{}",
            finding.message
        );

        let none = Config {
            required_config_rules: vec![],
            ..Config::default()
        };
        let finding = only_finding(evaluate_snapshot(&CHECK, &snapshot, &none));
        assert_eq!(finding.status, Status::NotApplicable);
    }

    #[test]
    fn error_when_rules_unreadable() {
        let mut region = compliant_region();
        region.config_service.rules = Source::Failed(failure("config", "DescribeConfigRules"));
        let finding = only_finding(evaluate(&CHECK, region));
        assert_eq!(finding.status, Status::Error);
        assert!(
            finding.message.contains("DescribeConfigRules"),
            "{}",
            finding.message
        );
    }
}
