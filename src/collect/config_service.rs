//! AWS Config collector: recorders, their status, rules and rule compliance.

use std::collections::BTreeMap;

use aws_sdk_config::types as sdk;
use hipaa_checks::snapshot::{
    ConfigRecorder, ConfigRecorderStatus, ConfigRule, ConfigRuleCompliance, ConfigServiceSnapshot,
};

use super::{all_items, listing, RegionClients};

fn recorder_from(r: &sdk::ConfigurationRecorder) -> ConfigRecorder {
    let group = r.recording_group();
    ConfigRecorder {
        name: r.name().unwrap_or_default().to_owned(),
        all_supported: group.map(|g| g.all_supported()).unwrap_or(false),
        include_global_resource_types: group
            .map(|g| g.include_global_resource_types())
            .unwrap_or(false),
        recording_strategy: group
            .and_then(|g| g.recording_strategy())
            .and_then(|s| s.use_only())
            .map(|s| s.as_str().to_owned()),
        excluded_resource_types: group
            .and_then(|g| g.exclusion_by_resource_types())
            .map(|e| {
                e.resource_types()
                    .iter()
                    .map(|t| t.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        resource_types: group
            .map(|g| {
                g.resource_types()
                    .iter()
                    .map(|t| t.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn rule_from(r: &sdk::ConfigRule) -> ConfigRule {
    ConfigRule {
        name: r.config_rule_name().unwrap_or_default().to_owned(),
        arn: r.config_rule_arn().unwrap_or_default().to_owned(),
        owner: r
            .source()
            .map(|s| s.owner().as_str().to_owned())
            .unwrap_or_default(),
        source_identifier: r
            .source()
            .and_then(|s| s.source_identifier())
            .map(str::to_owned),
        state: r.config_rule_state().map(|s| s.as_str().to_owned()),
    }
}

fn compliance_from(c: &sdk::ComplianceByConfigRule) -> ConfigRuleCompliance {
    let compliance = c.compliance();
    ConfigRuleCompliance {
        rule_name: c.config_rule_name().unwrap_or_default().to_owned(),
        compliance_type: compliance
            .and_then(|c| c.compliance_type())
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        non_compliant_resources: compliance
            .and_then(|c| c.compliance_contributor_count())
            .map(|n| n.capped_count()),
    }
}

/// The four Config sources of one region, read concurrently.
pub async fn collect(c: &RegionClients) -> ConfigServiceSnapshot {
    let region = c.region.as_str();
    let (recorders, statuses, rules, compliance) = tokio::join!(
        c.limiter
            .run(c.config.describe_configuration_recorders().send()),
        c.limiter
            .run(c.config.describe_configuration_recorder_status().send()),
        all_items!(
            c.limiter,
            c.config.describe_config_rules(),
            "config",
            "DescribeConfigRules",
            region,
            rule_from,
            |r| &r.name
        ),
        all_items!(
            c.limiter,
            c.config.describe_compliance_by_config_rule(),
            "config",
            "DescribeComplianceByConfigRule",
            region,
            compliance_from,
            |c| &c.rule_name
        ),
    );
    let op = "DescribeConfigurationRecorders";
    let recorders = listing(
        recorders.map(|o| o.configuration_recorders().to_vec()),
        "config",
        op,
        region,
        recorder_from,
        |r| &r.name,
    );
    let recorder_statuses = listing(
        statuses.map(|o| o.configuration_recorders_status().to_vec()),
        "config",
        "DescribeConfigurationRecorderStatus",
        region,
        |s: &sdk::ConfigurationRecorderStatus| ConfigRecorderStatus {
            name: s.name().unwrap_or_default().to_owned(),
            recording: s.recording(),
            last_status: s.last_status().map(|l| l.as_str().to_owned()),
        },
        |s| &s.name,
    );
    // The inventory of recorded resources exists only when a recorder does.
    // Unknown whether a recorder exists: the inventory is unknown too, not "no recorder".
    let discovered_resource_counts = match &recorders {
        hipaa_checks::Source::Failed(failure) => {
            Some(hipaa_checks::Source::Failed(failure.clone()))
        }
        hipaa_checks::Source::Collected(r) if !r.is_empty() => Some(discovered_counts(c).await),
        hipaa_checks::Source::Collected(_) => None,
    };
    ConfigServiceSnapshot {
        recorders,
        recorder_statuses,
        rules,
        compliance,
        discovered_resource_counts,
    }
}

/// GetDiscoveredResourceCounts, following nextToken: resource type -> count.
async fn discovered_counts(c: &RegionClients) -> hipaa_checks::Source<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let answer = c
            .limiter
            .run(
                c.config
                    .get_discovered_resource_counts()
                    .set_next_token(token.clone())
                    .send(),
            )
            .await;
        let page = match super::source(
            answer,
            "config",
            "GetDiscoveredResourceCounts",
            &c.region,
            |out| out,
        ) {
            hipaa_checks::Source::Collected(page) => page,
            hipaa_checks::Source::Failed(failure) => return hipaa_checks::Source::Failed(failure),
        };
        for count in page.resource_counts() {
            if let Some(kind) = count.resource_type() {
                counts.insert(kind.as_str().to_owned(), count.count());
            }
        }
        match page.next_token() {
            Some(next) if !next.is_empty() && token.as_deref() != Some(next) => {
                token = Some(next.to_owned())
            }
            _ => break,
        }
    }
    hipaa_checks::Source::Collected(counts)
}
