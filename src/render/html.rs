//! The self-contained HTML report: summary, HIPAA sections, BAA rules, a filterable findings
//! table with each finding's evidence. Rendered by a template engine (minijinja) with HTML
//! auto-escaping; no string concatenation of report data.

use std::collections::BTreeMap;

use hipaa_checks::drift::Drift;
use hipaa_checks::reference::security_rule_section;
use hipaa_checks::{Report, Severity, Status};
use minijinja::{context, Environment};
use serde::Serialize;

/// The template, embedded at build time.
const TEMPLATE: &str = include_str!("templates/report.html");

/// Counts of one row of a summary table.
#[derive(Debug, Default, Serialize)]
struct Counts {
    pass: usize,
    fail: usize,
    manual: usize,
    error: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Manual => self.manual += 1,
            Status::Error => self.error += 1,
            _ => {}
        }
    }
}

/// One row of the HIPAA section table.
#[derive(Debug, Serialize)]
struct SectionRow {
    citation: String,
    title: String,
    requirement: String,
    #[serde(flatten)]
    counts: Counts,
}

/// One row of the BAA rule table.
#[derive(Debug, Serialize)]
struct BaaRow {
    rule: String,
    #[serde(flatten)]
    counts: Counts,
}

/// Renders the report (and, when given, its drift against a baseline) as one HTML page.
pub fn render(report: &Report, drift: Option<&Drift>) -> Result<String, minijinja::Error> {
    let mut sections: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut baa: BTreeMap<&str, Counts> = BTreeMap::new();
    for finding in &report.findings {
        for citation in &finding.hipaa {
            sections
                .entry(citation.as_str())
                .or_default()
                .add(finding.status);
        }
        baa.entry(finding.baa.as_str())
            .or_default()
            .add(finding.status);
    }
    let sections: Vec<SectionRow> = sections
        .into_iter()
        .map(|(citation, counts)| {
            let section = security_rule_section(citation);
            SectionRow {
                citation: citation.to_owned(),
                title: section.map(|s| s.title.clone()).unwrap_or_default(),
                requirement: section.map(|s| s.requirement.clone()).unwrap_or_default(),
                counts,
            }
        })
        .collect();
    let baa: Vec<BaaRow> = baa
        .into_iter()
        .map(|(rule, counts)| BaaRow {
            rule: rule.to_owned(),
            counts,
        })
        .collect();
    let severities: Vec<BTreeMap<&str, String>> = Severity::ALL
        .iter()
        .map(|sev| {
            let count = report.summary.by_severity.get(sev).copied().unwrap_or(0);
            BTreeMap::from([
                ("name", sev.as_str().to_owned()),
                ("count", count.to_string()),
            ])
        })
        .collect();
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    env.get_template("report.html")?.render(context! {
        report => report,
        accounts => report.scan.accounts.join(", "),
        regions => report.scan.regions.join(", "),
        sections => sections,
        baa => baa,
        severities => severities,
        drift => drift,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipaa_checks::{BaaRule, Finding};

    fn report_with(message: &str) -> Report {
        let json = serde_json::json!({
            "schema_version": 1,
            "tool": {"name": "hipaa-audit", "version": "0.1.0"},
            "scan": {"id": "x", "started_at": "2026-11-25T12:00:00Z", "finished_at": "2026-11-25T12:00:05Z",
                     "accounts": ["111122223333"], "regions": ["us-east-1"], "eligible_services_as_of": "2025-04-16"},
            "summary": {"pass": 0, "fail": 1, "manual": 0, "error": 0, "not_applicable": 0, "waived": 0,
                        "by_severity": {"critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0}},
            "findings": [],
            "collection_errors": []
        });
        let mut report: Report = serde_json::from_value(json).expect("report shape");
        report.findings.push(Finding {
            check_id: "rds-cluster-storage-encrypted".into(),
            status: Status::Fail,
            severity: Severity::High,
            account: "111122223333".into(),
            region: "us-east-1".into(),
            resource_type: "AWS::RDS::DBCluster".into(),
            resource_id: "analytics".into(),
            resource_arn: None,
            message: message.into(),
            hipaa: vec!["164.312(a)(2)(iv)".into()],
            baa: BaaRule::EncryptAtRest,
            evidence: serde_json::json!({"StorageEncrypted": false, "Note": "<b>x</b>"}),
            remediation: "Encrypt it.".into(),
            waiver: None,
        });
        report
    }

    #[test]
    fn everything_from_the_report_is_escaped() {
        let html = render(&report_with("<script>alert(1)</script> & more"), None).expect("renders");
        assert!(
            !html.contains("<script>alert(1)"),
            "message must be escaped"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert!(!html.contains("<b>x</b>"), "evidence must be escaped");
        assert!(
            html.contains("Encryption and decryption"),
            "section title from the Security Rule"
        );
        assert!(html.contains("encrypt-at-rest"));
        assert!(html.contains("id=\"count-fail\">1<"));
    }

    #[test]
    fn drift_is_shown_when_given() {
        let old = report_with("was failing");
        let mut new = report_with("m");
        new.findings[0].resource_id = "other".into();
        let drift = hipaa_checks::drift::compare(&old, &new);
        let html = render(&new, Some(&drift)).expect("renders");
        assert!(html.contains("<b>1</b> new failures"), "{html}");
        assert!(html.contains("New failures since the baseline"), "{html}");
        assert!(
            html.contains("was failing"),
            "the resolved finding is listed"
        );
    }
}
