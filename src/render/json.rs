//! The JSON report renderer (schema_version 1).

use hipaa_checks::Report;

/// Pretty-printed JSON with a trailing newline; field order is the spec's.
pub fn render(report: &Report) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testing::{assert_valid, empty_report, finding, is_valid, sample_report};
    use hipaa_checks::report::Summary;
    use hipaa_checks::{registry, Status};
    use serde_json::Value;

    const REPORT_SCHEMA: &str =
        include_str!("../../tests/schemas/hipaa-audit-report-v1.schema.json");

    fn value(report: &Report) -> Value {
        serde_json::from_str(&render(report).expect("renders")).expect("JSON")
    }

    #[test]
    fn output_validates_against_the_report_schema() {
        assert_valid(REPORT_SCHEMA, &value(&sample_report()));
        assert_valid(REPORT_SCHEMA, &value(&empty_report()));
    }

    #[test]
    fn every_catalog_entry_fits_the_schema() {
        // One failing finding per check, with the check's own citations, BAA rule and types.
        let mut report = empty_report();
        report.findings = registry::ALL
            .iter()
            .map(|check| {
                let m = &check.meta;
                let mut f = finding(
                    m.id,
                    Status::Fail,
                    m.severity,
                    "us-east-1",
                    m.resource_types[0],
                    "some-resource",
                    None,
                    m.title,
                );
                f.hipaa = m.hipaa.iter().map(|c| (*c).to_owned()).collect();
                f.baa = m.baa;
                f.remediation = m.remediation.summary.to_owned();
                f
            })
            .collect();
        report.summary = Summary::of(&report.findings);
        assert_valid(REPORT_SCHEMA, &value(&report));
        for check in registry::ALL {
            for resource_type in check.meta.resource_types {
                let mut one = report.clone();
                one.findings.truncate(1);
                one.findings[0].resource_type = (*resource_type).to_owned();
                assert!(
                    is_valid(REPORT_SCHEMA, &value(&one)),
                    "{}: resource type {resource_type} does not fit the schema",
                    check.meta.id
                );
            }
        }
    }

    #[test]
    fn the_schema_rejects_what_the_spec_does_not_allow() {
        let good = value(&sample_report());
        let mut missing = good.clone();
        missing["findings"][0]
            .as_object_mut()
            .expect("finding")
            .remove("waiver");
        let mut bad_status = good.clone();
        bad_status["findings"][0]["status"] = Value::from("failed");
        let mut extra = good.clone();
        extra["summary"]["skipped"] = Value::from(0);
        let mut bad_version = good;
        bad_version["schema_version"] = Value::from(2);
        for (what, report) in [
            ("a finding without waiver", missing),
            ("an unknown status", bad_status),
            ("an unknown summary key", extra),
            ("schema_version 2", bad_version),
        ] {
            assert!(!is_valid(REPORT_SCHEMA, &report), "accepted {what}");
        }
    }
}
