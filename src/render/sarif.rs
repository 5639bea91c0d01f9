//! SARIF 2.1.0, for code-scanning dashboards: the catalog as rules, failures as results.

use std::collections::BTreeMap;

use hipaa_checks::{registry, CheckMeta, Finding, Report, Severity, Status};
use serde_json::json;
use serde_sarif::sarif::{
    Location, LogicalLocation, Message, MultiformatMessageString, PropertyBag,
    ReportingConfiguration, ReportingConfigurationLevel, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent, Version,
};

/// The `$schema` written into the log: the OASIS 2.1.0 schema (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Key of the stable per-resource fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "hipaaAuditFinding/v1";

/// critical/high fail the build in code-scanning tools, medium warns, low/info are notes.
fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn default_level(severity: Severity) -> ReportingConfigurationLevel {
    match level(severity) {
        ResultLevel::Error => ReportingConfigurationLevel::Error,
        ResultLevel::Warning => ReportingConfigurationLevel::Warning,
        ResultLevel::Note => ReportingConfigurationLevel::Note,
        ResultLevel::None => ReportingConfigurationLevel::None,
    }
}

/// `rds-cluster-storage-encrypted` -> `RdsClusterStorageEncrypted`, SARIF's usual rule name.
fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect()
}

fn text(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn rule(meta: &CheckMeta) -> serde_json::Result<ReportingDescriptor> {
    let mut tags: Vec<String> = meta.hipaa.iter().map(|c| (*c).to_owned()).collect();
    tags.push(meta.baa.as_str().to_owned());
    let help = MultiformatMessageString::builder()
        .text(meta.remediation.summary)
        .markdown(format!(
            "{}\n\nConsole: {}\n\n```sh\n{}\n```",
            meta.remediation.summary, meta.remediation.console, meta.remediation.cli
        ))
        .build();
    Ok(ReportingDescriptor::builder()
        .id(meta.id)
        .name(rule_name(meta.id))
        .short_description(text(meta.title))
        .full_description(text(meta.requirement))
        .help(help)
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::to_value(default_level(meta.severity))?)
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(BTreeMap::from([(
                    "severity".to_owned(),
                    json!(meta.severity.as_str()),
                )]))
                .build(),
        )
        .build())
}

fn result(finding: &Finding, rule_index: Option<usize>) -> SarifResult {
    let qualified = finding
        .resource_arn
        .clone()
        .unwrap_or_else(|| format!("{}/{}", finding.region, finding.resource_id));
    let location = Location::builder()
        .logical_locations(vec![LogicalLocation::builder()
            .name(finding.resource_id.as_str())
            .fully_qualified_name(qualified)
            .kind("resource")
            .build()])
        .build();
    let properties = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("account".to_owned(), json!(finding.account)),
            ("baa".to_owned(), json!(finding.baa.as_str())),
            ("evidence".to_owned(), finding.evidence.clone()),
            ("hipaa".to_owned(), json!(finding.hipaa)),
            ("region".to_owned(), json!(finding.region)),
            ("remediation".to_owned(), json!(finding.remediation)),
            ("resourceType".to_owned(), json!(finding.resource_type)),
            ("severity".to_owned(), json!(finding.severity.as_str())),
        ]))
        .build();
    let fingerprint = format!(
        "{}/{}/{}/{}",
        finding.check_id, finding.account, finding.region, finding.resource_id
    );
    let builder = SarifResult::builder()
        .rule_id(finding.check_id.as_str())
        .level(level(finding.severity))
        .message(Message::builder().text(finding.message.as_str()).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_owned(), fingerprint)]))
        .properties(properties);
    match rule_index.and_then(|i| i64::try_from(i).ok()) {
        Some(index) => builder.rule_index(index).build(),
        None => builder.build(),
    }
}

/// Renders a SARIF 2.1.0 log (pretty JSON, trailing newline): every catalog check as a rule,
/// every `fail` finding as a result, in report order.
pub fn render(report: &Report) -> serde_json::Result<String> {
    let rules = registry::ALL
        .iter()
        .map(|check| rule(&check.meta))
        .collect::<serde_json::Result<Vec<_>>>()?;
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| {
            result(
                f,
                registry::ALL.iter().position(|c| c.meta.id == f.check_id),
            )
        })
        .collect();
    let driver = ToolComponent::builder()
        .name(report.tool.name.as_str())
        .version(report.tool.version.as_str())
        .semantic_version(report.tool.version.as_str())
        .rules(rules)
        .build();
    let run_properties = PropertyBag::builder()
        .additional_properties(BTreeMap::from([
            ("scanId".to_owned(), json!(report.scan.id)),
            ("accounts".to_owned(), json!(report.scan.accounts)),
            ("regions".to_owned(), json!(report.scan.regions)),
            ("summary".to_owned(), serde_json::to_value(&report.summary)?),
        ]))
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .properties(run_properties)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::to_value(Version::V2_1_0)?)
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log)?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_valid, empty_report, is_valid, sample_report};
    use serde_json::Value;

    const SARIF_SCHEMA: &str = include_str!("../../tests/schemas/sarif-schema-2.1.0.json");

    fn to_value(report: &Report) -> serde_json::Result<Value> {
        serde_json::from_str(&render(report)?)
    }

    #[test]
    fn output_validates_against_the_sarif_2_1_0_schema() {
        assert_valid(SARIF_SCHEMA, &to_value(&sample_report()).expect("renders"));
        assert_valid(SARIF_SCHEMA, &to_value(&empty_report()).expect("renders"));
    }

    #[test]
    fn the_schema_rejects_a_broken_log() {
        let mut log = to_value(&sample_report()).expect("renders");
        log["runs"][0]["results"][0]["level"] = json!("critical");
        assert!(
            !is_valid(SARIF_SCHEMA, &log),
            "the schema must catch a bad level"
        );
    }

    #[test]
    fn rules_are_the_whole_catalog() {
        let log = to_value(&empty_report()).expect("renders");
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "hipaa-audit");
        assert_eq!(driver["version"], "0.1.0");
        let rules = driver["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), registry::ALL.len());
        let storage = rules
            .iter()
            .find(|r| r["id"] == "rds-cluster-storage-encrypted")
            .expect("a rule");
        assert_eq!(storage["name"], "RdsClusterStorageEncrypted");
        assert_eq!(storage["defaultConfiguration"]["level"], "error");
        let tags = storage["properties"]["tags"].as_array().expect("tags");
        assert!(tags.contains(&json!("164.312(a)(2)(iv)")));
        assert!(tags.contains(&json!("encrypt-at-rest")));
        assert!(storage["shortDescription"]["text"].is_string());
        assert!(storage["fullDescription"]["text"].is_string());
        assert!(storage["help"]["text"].is_string());
    }

    #[test]
    fn results_are_the_failures_only() {
        let report = sample_report();
        let log = to_value(&report).expect("renders");
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), report.summary.fail);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules");
        for r in results {
            let index = r["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
            assert_eq!(r["level"], "error", "both failures are critical");
        }
        let bucket = results
            .iter()
            .find(|r| r["ruleId"] == "s3-bucket-not-public")
            .expect("bucket result");
        let logical = &bucket["locations"][0]["logicalLocations"][0];
        assert_eq!(logical["fullyQualifiedName"], "arn:aws:s3:::phi-exports");
        assert_eq!(logical["name"], "phi-exports");
        assert_eq!(
            bucket["properties"]["hipaa"],
            json!(["164.312(a)(1)", "164.312(e)(1)"])
        );
        assert!(bucket["properties"]["evidence"].is_object());
    }

    #[test]
    fn levels_follow_severity() {
        assert!(matches!(level(Severity::Critical), ResultLevel::Error));
        assert!(matches!(level(Severity::High), ResultLevel::Error));
        assert!(matches!(level(Severity::Medium), ResultLevel::Warning));
        assert!(matches!(level(Severity::Low), ResultLevel::Note));
        assert!(matches!(level(Severity::Info), ResultLevel::Note));
    }

    #[test]
    fn a_resource_without_arn_is_located_by_region_and_id() {
        let mut report = sample_report();
        for f in &mut report.findings {
            if f.status == Status::Error {
                f.status = Status::Fail;
            }
        }
        let log = to_value(&report).expect("renders");
        let trail = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["ruleId"] == "cloudtrail-multi-region")
            .expect("result");
        assert_eq!(
            trail["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "us-east-1/us-east-1"
        );
        assert_eq!(trail["level"], "error");
    }

    #[test]
    fn output_is_deterministic() {
        let report = sample_report();
        assert_eq!(render(&report).expect("a"), render(&report).expect("b"));
    }
}
